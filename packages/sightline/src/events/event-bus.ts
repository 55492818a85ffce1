/**
 * The typed event bus: `publish` wraps data in a CloudEvents envelope inside
 * a `publish <type>` PRODUCER span and hands it to the transport;
 * `subscribe` registers a handler for one type and consumer group.
 */
import { context, diag, isSpanContextValid, propagation } from '@opentelemetry/api';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { DuplicateSubscriptionError, EventBusClosedError, EventTooLargeError, InvalidEventOptionError } from '../errors.ts';
import type { EventRejectionReason } from '../errors.ts';
import { defaultMetricsRegistry } from '../metrics/default-registry.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';
import { eventSpans } from '../tracing/event-span.ts';
import type { EventSpanRunner } from '../tracing/event-span.ts';
import { errorType } from '../tracing/record-error.ts';
import { createDispatcher } from './dispatcher.ts';
import type { EventHandler, TraceLinkMode } from './dispatcher.ts';
import { CLOUDEVENTS_JSON_CONTENT_TYPE, createEnvelope } from './envelope.ts';
import type { EventEnvelope } from './envelope.ts';
import { createEventMetrics } from './event-metrics.ts';
import { LocalEnvelope } from './local-envelope.ts';
import { memoryTransport } from './memory-transport.ts';
import { EncodedOnDemand, utf8SizeAbove } from './outgoing-message.ts';
import { createBackoff } from './retry-policy.ts';
import type { RetryOptions } from './retry-policy.ts';
import { formatTraceparent } from './traceparent.ts';
import type { EventTransport, TransportSubscription } from './transport.ts';
import { uuidv7 } from './uuid-v7.ts';
import { runWorkerPool } from './worker-pool.ts';

/** Options of {@link createEventBus}. */
export interface EventBusOptions {
  /** The CloudEvents `source` of published events: the service name or a URI reference. */
  readonly source: string;
  /** Where events go. Default: a new `memoryTransport()`. The bus closes it on `close()`. */
  readonly transport?: EventTransport;
  /**
   * Registry for the bus metrics; its tenant-label policy decides `tenant_id`
   * on messaging metrics. Default: the process's default registry, which
   * telemetry serves and pushes (`defaultMetricsRegistry()`).
   */
  readonly registry?: MetricsRegistry | undefined;
  /** Default relation of process spans to publish spans; see {@link TraceLinkMode}. Default `child`. */
  readonly traceLinkMode?: TraceLinkMode;
}

/** Options of {@link EventBus.publish}. */
export interface PublishOptions {
  /** Envelope id; default a new UUIDv7. Reuse an id to make a retried publish a duplicate the transport can drop. */
  readonly id?: string;
  /** Event time; default now. */
  readonly time?: Date;
  /** CloudEvents `subject`. */
  readonly subject?: string;
  /** Tenant of the event; default the active tenant context's. */
  readonly tenantId?: string;
  /** Actor (user) of the event; default the active tenant context's user. */
  readonly actorId?: string;
}

/** Options of {@link EventBus.subscribe}. */
export interface SubscribeOptions<Data> {
  /** Consumer group: every group receives each event once; members of a group share the work. */
  readonly group: string;
  /** Handler runs in flight at once for this subscription. Default 1. */
  readonly concurrency?: number;
  /** Runs before a failing event is dead-lettered (the first run counts). Default 5. */
  readonly maxDeliver?: number;
  /**
   * A handler run that takes longer fails with `EventHandlerTimeoutError`
   * (retried, then dead-lettered) and frees its worker. Default 30 000 ms.
   */
  readonly timeoutMs?: number;
  /** Backoff between runs. */
  readonly retry?: RetryOptions;
  /** Dead-letter destination name (the transport maps it to a queue or subject). Default: the group. */
  readonly deadLetter?: string;
  /** Validates `data` before the handler sees it; a failure dead-letters with reason `invalid_payload`. */
  readonly schema?: StandardSchemaV1<unknown, Data>;
  /** Overrides the bus's `traceLinkMode` for this subscription. */
  readonly traceLinkMode?: TraceLinkMode;
}

/** A live subscription. */
export interface Subscription extends AsyncDisposable {
  readonly type: string;
  readonly group: string;
  /** Resolves once the transport is receiving (rejects if it could not start; the failure also goes to `diag`). */
  ready(): Promise<void>;
  /** Stops receiving and waits for running handlers. Idempotent. */
  close(): Promise<void>;
}

/** A typed bus: `Events` maps each event type to its payload type. */
export interface EventBus<Events extends Record<string, unknown>> extends AsyncDisposable {
  /**
   * Publishes `data` as an event of `type` and resolves with the envelope
   * once the transport accepted it. Rejects with the transport's error
   * (e.g. `EventQueueFullError`) when it did not.
   */
  publish<Type extends keyof Events & string>(
    type: Type,
    data: Events[Type],
    options?: PublishOptions,
  ): Promise<EventEnvelope<Type, Events[Type]>>;
  /** Runs `handler` for each event of `type` delivered to `options.group`. */
  subscribe<Type extends keyof Events & string>(
    type: Type,
    handler: EventHandler<Type, Events[Type]>,
    options: SubscribeOptions<Events[Type]>,
  ): Subscription;
  /**
   * Stops accepting publishes, waits for publishes in flight, closes every
   * subscription (draining running handlers; the memory transport also
   * drains its queues), then closes the transport. Idempotent.
   */
  close(): Promise<void>;
}

/** Event types whose publish span name and attributes a bus keeps built. */
const MAX_SPAN_TEMPLATES = 256;

function positiveInteger(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidEventOptionError(option, `Expected \`${option}\` to be a positive integer, got ${value}.`);
  }
  return value;
}

function nonEmpty(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidEventOptionError(option, `Expected \`${option}\` to be a non-empty string, got ${JSON.stringify(value)}.`);
  }
  return value;
}

function traceLinkModeOf(value: TraceLinkMode): TraceLinkMode {
  if (value !== 'child' && value !== 'link') {
    throw new InvalidEventOptionError('traceLinkMode', `Expected \`traceLinkMode\` to be "child" or "link", got ${JSON.stringify(value)}.`);
  }
  return value;
}

function rejectionReason(error: unknown): EventRejectionReason | undefined {
  const reason = (error as { reason?: unknown } | null)?.reason;
  return typeof reason === 'string' ? (reason as EventRejectionReason) : undefined;
}

/**
 * Creates an event bus.
 *
 * @throws {InvalidEventOptionError} when `source` is empty or `traceLinkMode` unknown.
 */
export function createEventBus<Events extends Record<string, unknown>>(options: EventBusOptions): EventBus<Events> {
  const source = nonEmpty('source', options.source);
  const transport = options.transport ?? memoryTransport();
  const metrics = createEventMetrics(options.registry ?? defaultMetricsRegistry());
  const defaultLinkMode = traceLinkModeOf(options.traceLinkMode ?? 'child');
  const subscriptions = new Map<string, Subscription>();
  // Publishes in flight, which close() waits for.
  let publishing = 0;
  let published: (() => void) | undefined;
  const publishSettled = (): void => {
    publishing -= 1;
    if (publishing === 0) published?.();
  };
  let closing: Promise<void> | undefined;

  const spansByType = new Map<string, EventSpanRunner>();
  const publishSpans = (type: string): EventSpanRunner => {
    let spans = spansByType.get(type);
    if (spans === undefined) {
      spans = eventSpans({ system: transport.system, destination: type, operation: 'publish' });
      if (spansByType.size < MAX_SPAN_TEMPLATES) spansByType.set(type, spans);
    }
    return spans;
  };

  const publishNow = <Type extends string, Data>(type: Type, data: Data, publishOptions: PublishOptions) => {
    const id = publishOptions.id ?? uuidv7();
    return publishSpans(type)(id, undefined, undefined, async (span) => {
      const spanContext = span.spanContext();
      const headers: Record<string, string> = {};
      propagation.inject(context.active(), headers);
      const traced = isSpanContextValid(spanContext);
      const traceState = spanContext.traceState?.serialize();
      const envelope = createEnvelope({
        type,
        source,
        data,
        id,
        time: publishOptions.time,
        subject: publishOptions.subject,
        tenantId: publishOptions.tenantId,
        actorId: publishOptions.actorId,
        traceparent: traced ? formatTraceparent(spanContext) : undefined,
        tracestate: traced && traceState !== '' ? traceState : undefined,
      });
      headers['content-type'] = CLOUDEVENTS_JSON_CONTENT_TYPE;
      if (envelope.traceparent !== undefined) headers['traceparent'] = envelope.traceparent;
      if (envelope.tracestate !== undefined) headers['tracestate'] = envelope.tracestate;
      try {
        const json = JSON.stringify(envelope);
        const { maxMessageBytes, localDelivery } = transport.capabilities;
        const size = utf8SizeAbove(json, maxMessageBytes);
        if (size !== undefined) throw new EventTooLargeError(type, size, maxMessageBytes);
        const local = localDelivery === true ? LocalEnvelope.of(envelope, json, headers) : undefined;
        await transport.publish(new EncodedOnDemand(type, id, json, headers, local));
      } catch (error) {
        metrics.sent(transport.system, type, envelope.tenantid, errorType(error));
        const reason = rejectionReason(error);
        if (reason !== undefined) metrics.rejected(type, reason);
        throw error;
      }
      metrics.sent(transport.system, type, envelope.tenantid, '');
      return envelope;
    });
  };

  const bus: EventBus<Events> = {
    publish(type, data, publishOptions = {}) {
      if (closing !== undefined) return Promise.reject(new EventBusClosedError('publish'));
      const envelope = publishNow(type, data, publishOptions);
      publishing += 1;
      void envelope.then(publishSettled, publishSettled);
      return envelope;
    },

    subscribe(type, handler, subscribeOptions) {
      if (closing !== undefined) throw new EventBusClosedError('subscribe');
      const group = nonEmpty('group', subscribeOptions.group);
      const key = `${type}\u0000${group}`;
      if (subscriptions.has(key)) throw new DuplicateSubscriptionError(type, group);
      const concurrency = positiveInteger('concurrency', subscribeOptions.concurrency ?? 1);
      const maxDeliver = positiveInteger('maxDeliver', subscribeOptions.maxDeliver ?? 5);
      const deadLetter = nonEmpty('deadLetter', subscribeOptions.deadLetter ?? group);
      const timeoutMs = positiveInteger('timeoutMs', subscribeOptions.timeoutMs ?? 30_000);
      const backoff = createBackoff(subscribeOptions.retry);
      const traceLinkMode = traceLinkModeOf(subscribeOptions.traceLinkMode ?? defaultLinkMode);
      const labels = { system: transport.system, type, group };
      const started: Promise<TransportSubscription> = transport.subscribe(Object.freeze({ type, group, concurrency, maxDeliver, deadLetter }));
      let stopBacklog: (() => void) | undefined;
      let pool: Promise<void> = Promise.resolve();
      const ready = started.then((inner) => {
        stopBacklog = metrics.trackBacklog(labels, () => inner.backlog());
        const process = createDispatcher({
          labels,
          handler: handler as EventHandler,
          schema: subscribeOptions.schema,
          maxDeliver,
          backoff,
          traceLinkMode,
          metrics,
          timeoutMs,
          capabilities: transport.capabilities,
        });
        pool = runWorkerPool(inner, concurrency, process, `${type} for group ${group}`);
      });
      ready.catch((error: unknown) => diag.error(`sightline: subscription to ${type} for group ${group} could not start`, error));
      let closed: Promise<void> | undefined;
      const subscription: Subscription = {
        type,
        group,
        ready: () => ready,
        close: () => {
          closed ??= (async () => {
            subscriptions.delete(key);
            let inner: TransportSubscription;
            try {
              inner = await started;
            } catch {
              return;
            }
            stopBacklog?.();
            await Promise.all([inner.close(), pool]);
          })();
          return closed;
        },
        [Symbol.asyncDispose]: () => subscription.close(),
      };
      subscriptions.set(key, subscription);
      return subscription;
    },

    close() {
      closing ??= (async () => {
        if (publishing > 0) await new Promise<void>((resolve) => (published = resolve));
        await Promise.allSettled([...subscriptions.values()].map((subscription) => subscription.close()));
        await transport.close();
      })();
      return closing;
    },

    [Symbol.asyncDispose]: () => bus.close(),
  };
  return bus;
}
