/**
 * Processes one subscription's messages: parse and validate the envelope
 * (or read the checked one an in-process transport handed back),
 * restore the producer's trace and the event's tenant, run the handler in a
 * `process <type>` CONSUMER span under the subscription's deadline, then
 * settle the message (ack, nak with backoff, or dead-letter after
 * `maxDeliver` runs) and record the metrics. Whatever happens (a parser or
 * handler throw, a stack overflow, a hang past the deadline), the message is
 * settled exactly once and nothing is thrown back to the worker pool.
 */
import { diag, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Context, Link, TextMapGetter } from '@opentelemetry/api';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { EventHandlerTimeoutError } from '../errors.ts';
import type { EventRejectionReason } from '../errors.ts';
import { contextWithTenant, tenantFromContext } from '../context/tenant-context.ts';
import { eventSpans } from '../tracing/event-span.ts';
import { errorType } from '../tracing/record-error.ts';
import { boundedText } from '../diagnostics/bounded-text.ts';
import { createThrottledWarning } from '../diagnostics/throttled-warning.ts';
import type { EventEnvelope } from './envelope.ts';
import type { ConsumerLabels, EventMetrics } from './event-metrics.ts';
import { HandlerDeadline } from './handler-deadline.ts';
import { LocalEnvelope } from './local-envelope.ts';
import { parseEnvelope } from './parse-envelope.ts';
import type { MessageHeaders, ParsedEnvelope } from './parse-envelope.ts';
import { validatePayload } from './payload-schema.ts';
import type { BackoffPolicy } from './retry-policy.ts';
import type { DeadLetterInfo, TransportCapabilities, TransportMessage } from './transport.ts';

/** What a handler learns about the delivery besides the event. */
export interface HandlerContext {
  /** 1 on the first run, then one more per retry. */
  readonly attempt: number;
  /** The run after which a failure dead-letters the event. */
  readonly maxDeliver: number;
}

/** A subscriber's function. Throwing (or rejecting) fails the run: it is retried, then dead-lettered. */
export type EventHandler<Type extends string = string, Data = unknown> = (
  event: EventEnvelope<Type, Data>,
  context: HandlerContext,
) => unknown;

/**
 * How a `process` span relates to the `publish` span: `child` (default)
 * makes it the producer's child and links to it, so one trace covers
 * publish and processing; `link` starts a new trace linked to the producer.
 */
export type TraceLinkMode = 'child' | 'link';

/** Span event added when a failed run will be retried. */
export const RETRY_SPAN_EVENT = 'sightline.event.retry';
/** Span event added when an event is dead-lettered. */
export const DEAD_LETTER_SPAN_EVENT = 'sightline.event.dead_letter';

/** Everything a dispatcher needs for one subscription. */
export interface DispatcherConfig {
  readonly labels: ConsumerLabels;
  readonly handler: EventHandler;
  readonly schema: StandardSchemaV1 | undefined;
  readonly maxDeliver: number;
  readonly backoff: BackoffPolicy;
  readonly traceLinkMode: TraceLinkMode;
  readonly metrics: EventMetrics;
  /** A handler run longer than this fails with `EventHandlerTimeoutError`. */
  readonly timeoutMs: number;
  readonly capabilities: TransportCapabilities;
}

/** Reads a carrier straight from the message's header map. */
const HEADERS_GETTER: TextMapGetter<MessageHeaders> = {
  get: (headers, key) => headers.get(key),
  keys: (headers) => [...headers.keys()],
};

/** True when `ctx`'s baggage already names the envelope's tenant and actor (it came through the `baggage` header). */
function carriesTenantOf(ctx: Context, envelope: EventEnvelope): boolean {
  const tenant = tenantFromContext(ctx);
  return tenant !== undefined && tenant.tenantId === envelope.tenantid && tenant.userId === envelope.actorid;
}

/**
 * The context every run of an event starts from, whatever the subscription:
 * the baggage the headers carry (the producer's span taken out) and the
 * envelope's tenant and actor.
 */
function eventContext(envelope: EventEnvelope, headers: MessageHeaders): Context {
  let ctx = propagation.extract(ROOT_CONTEXT, headers, HEADERS_GETTER);
  if (trace.getSpan(ctx) !== undefined) ctx = trace.deleteSpan(ctx);
  if (envelope.tenantid !== undefined && !carriesTenantOf(ctx, envelope)) {
    ctx = contextWithTenant(ctx, {
      tenantId: envelope.tenantid,
      ...(envelope.actorid === undefined ? {} : { userId: envelope.actorid }),
    });
  }
  return ctx;
}

/** Dead-letters a message whose processing threw where nothing should (a bug, a stack overflow), so it cannot be redelivered for ever. */
async function settleUnexpected(message: TransportMessage, error: unknown): Promise<void> {
  try {
    await message.deadLetter({ reason: 'handler_failed', detail: boundedText(`processing failed unexpectedly: ${String(error)}`), errorType: errorType(error) });
  } catch (failure) {
    diag.error('sightline: could not dead-letter a message after an unexpected failure', failure);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates the function that processes and settles each message of one subscription; it never rejects. */
export function createDispatcher(config: DispatcherConfig): (message: TransportMessage) => Promise<void> {
  const { labels, metrics, maxDeliver, capabilities } = config;
  const recorded = metrics.consumer(labels);
  const processSpan = eventSpans({ system: labels.system, destination: labels.type, operation: 'process', consumerGroup: labels.group });
  const limits = { maxBytes: capabilities.maxMessageBytes };
  const deadline = new HandlerDeadline(config.timeoutMs, () => new EventHandlerTimeoutError(labels.type, labels.group, config.timeoutMs));
  const retry = async (message: TransportMessage, delayMs: number): Promise<void> => {
    if (capabilities.delayedRedelivery) return message.nak(delayMs);
    await sleep(delayMs);
    return message.nak(0);
  };

  const warn = createThrottledWarning();
  const reject = async (delivery: TransportMessage, reason: EventRejectionReason, detail: string, tenantId?: string): Promise<void> => {
    warn(`sightline: dead-lettering a ${labels.type} message for group ${labels.group}: ${reason}: ${boundedText(detail)}`);
    metrics.rejected(labels.type, reason);
    recorded.consumed('dead_letter', tenantId, reason);
    await delivery.deadLetter({ reason, detail });
  };

  const run = async (delivery: TransportMessage): Promise<void> => {
    const local = LocalEnvelope.from(delivery.local);
    let parsed: ParsedEnvelope;
    if (local !== undefined) {
      parsed = local.copy();
    } else {
      const result = parseEnvelope(delivery.body, delivery.headers, limits);
      if (!result.ok) return reject(delivery, result.reason, result.detail);
      parsed = result.value;
    }
    const { envelope, producer } = parsed;
    if (envelope.type !== labels.type) {
      return reject(delivery, 'type_mismatch', `envelope type ${envelope.type} arrived on the ${labels.type} subscription`, envelope.tenantid);
    }
    let event = envelope;
    if (config.schema !== undefined) {
      const result = await validatePayload(config.schema, envelope.data);
      if (!result.ok) return reject(delivery, 'invalid_payload', result.detail, envelope.tenantid);
      event = { ...envelope, data: result.value };
    }
    const { attempt } = delivery;
    const links: Link[] = producer === undefined ? [] : [{ context: producer }];
    const base = local !== undefined ? local.context(() => eventContext(envelope, delivery.headers)) : eventContext(envelope, delivery.headers);
    const parent = producer !== undefined && config.traceLinkMode === 'child' ? trace.setSpanContext(base, producer) : base;
    const started = performance.now();
    let failure: { error: unknown; type: string } | undefined;
    let delayMs = 0;
    try {
      await processSpan(
        envelope.id,
        links,
        parent,
        async (span) => {
          const time = Date.parse(envelope.time);
          if (!Number.isNaN(time)) recorded.lag(Math.max(0, Date.now() - time) / 1000);
          try {
            await deadline.run(() => config.handler(event, { attempt, maxDeliver }));
          } catch (error) {
            const type = errorType(error);
            if (attempt < maxDeliver) {
              delayMs = config.backoff(attempt);
              span.addEvent(RETRY_SPAN_EVENT, { 'sightline.event.attempt': attempt, 'sightline.event.retry_delay_ms': delayMs, [ATTR_ERROR_TYPE]: type });
            } else {
              span.addEvent(DEAD_LETTER_SPAN_EVENT, { 'sightline.event.attempt': attempt, 'sightline.event.dead_letter_reason': 'handler_failed', [ATTR_ERROR_TYPE]: type });
            }
            throw error;
          }
        },
      );
    } catch (error) {
      failure = { error, type: errorType(error) };
    }
    recorded.processed((performance.now() - started) / 1000, failure?.type ?? '');
    if (failure === undefined) {
      recorded.consumed('success', envelope.tenantid, '');
      return delivery.ack();
    }
    if (attempt < maxDeliver) {
      recorded.consumed('retry', envelope.tenantid, failure.type);
      return retry(delivery, delayMs);
    }
    const message = boundedText(failure.error instanceof Error ? failure.error.message : String(failure.error));
    recorded.consumed('dead_letter', envelope.tenantid, failure.type);
    return delivery.deadLetter({
      reason: 'handler_failed',
      detail: `handler failed on run ${attempt} of ${maxDeliver}: ${message}`,
      errorType: failure.type,
    });
  };

  return async (message) => {
    const guarded = new SettlementWatch(message);
    try {
      await run(guarded);
    } catch (error) {
      diag.error(`sightline: could not process a ${labels.type} message for group ${labels.group}`, error);
      if (!guarded.settled) await settleUnexpected(message, error);
    }
  };
}

/** A message that remembers whether the dispatcher settled it. */
class SettlementWatch implements TransportMessage {
  readonly headers: MessageHeaders;
  readonly attempt: number;
  readonly local: LocalEnvelope | undefined;
  settled = false;
  readonly #message: TransportMessage;

  constructor(message: TransportMessage) {
    this.#message = message;
    this.headers = message.headers;
    this.attempt = message.attempt;
    this.local = message.local;
  }

  get body(): Uint8Array {
    return this.#message.body;
  }

  ack(): Promise<void> {
    this.settled = true;
    return this.#message.ack();
  }

  nak(delayMs: number): Promise<void> {
    this.settled = true;
    return this.#message.nak(delayMs);
  }

  deadLetter(info: DeadLetterInfo): Promise<void> {
    this.settled = true;
    return this.#message.deadLetter(info);
  }
}
