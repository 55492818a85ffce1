/**
 * PRODUCER and CONSUMER spans for messages, following the messaging
 * semantic conventions. Parent and links are explicit so a caller (the
 * event bus) decides whether a consumer span is the producer's child, only
 * linked to it, or both.
 */
import { context, isSpanContextValid, SpanKind, trace } from '@opentelemetry/api';
import type { Attributes, Context, Link, Span } from '@opentelemetry/api';
import {
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
} from './semconv.ts';
import type { SpanResult } from './span-result.ts';
import { sightlineTracer } from './tracer.ts';
import { runWithSpan, withSpan } from './with-span.ts';

/** Messaging operations and the span kind and `messaging.operation.type` each maps to. */
const OPERATIONS = {
  publish: { kind: SpanKind.PRODUCER, type: 'send' },
  send: { kind: SpanKind.PRODUCER, type: 'send' },
  create: { kind: SpanKind.PRODUCER, type: 'create' },
  receive: { kind: SpanKind.CLIENT, type: 'receive' },
  process: { kind: SpanKind.CONSUMER, type: 'process' },
  settle: { kind: SpanKind.CLIENT, type: 'settle' },
} as const;

/** A messaging operation: `publish`/`send`/`create` (PRODUCER), `process` (CONSUMER), `receive`/`settle` (CLIENT). */
export type MessagingOperation = keyof typeof OPERATIONS;

/** Describes one messaging operation. */
export interface EventSpanOptions {
  /** `messaging.system`: `nats`, `memory`, `kafka`, … */
  readonly system: string;
  /** `messaging.destination.name`: the subject, topic or event type (low-cardinality). */
  readonly destination: string;
  /** The operation; also `messaging.operation.name` and the first word of the span name. */
  readonly operation: MessagingOperation;
  /** `messaging.message.id`. */
  readonly messageId?: string;
  /** `messaging.consumer.group.name`. */
  readonly consumerGroup?: string;
  /** Links, typically to the producer's span context for a consumed message. */
  readonly links?: readonly Link[];
  /**
   * Context to start the span in. For `process`, pass the context extracted
   * from the message to make the span the producer's child (its baggage,
   * tenant included, comes along); pass `trace.deleteSpan(extracted)` plus a
   * link to keep the tenant but start a new trace. Default: the active context.
   */
  readonly parentContext?: Context;
  /** Extra attributes for the span. */
  readonly attributes?: Attributes;
}

/**
 * Runs `fn` in a span named `{operation} {destination}` (`publish
 * order.created`, `process order.created`) of the operation's kind, with
 * the `messaging.*` attributes; failures are recorded as by `withSpan`.
 * Inside `fn`, `propagation.inject(context.active(), headers)` writes this
 * span's trace context into a message being published.
 */
export function withEventSpan<T>(options: EventSpanOptions, fn: (span: Span) => T): SpanResult<T> {
  const { kind, type } = OPERATIONS[options.operation];
  const attributes: Attributes = {
    ...options.attributes,
    [ATTR_MESSAGING_SYSTEM]: options.system,
    [ATTR_MESSAGING_DESTINATION_NAME]: options.destination,
    [ATTR_MESSAGING_OPERATION_NAME]: options.operation,
    [ATTR_MESSAGING_OPERATION_TYPE]: type,
    ...(options.messageId !== undefined && { [ATTR_MESSAGING_MESSAGE_ID]: options.messageId }),
    ...(options.consumerGroup !== undefined && { [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: options.consumerGroup }),
  };
  return withSpan(`${options.operation} ${options.destination}`, {
    kind,
    attributes,
    ...(options.links !== undefined && { links: options.links }),
    ...(options.parentContext !== undefined && { parentContext: options.parentContext }),
  }, fn);
}

/** What {@link eventSpans} fixes for every span it starts. */
export type EventSpanTemplate = Pick<EventSpanOptions, 'system' | 'destination' | 'operation' | 'consumerGroup'>;

/** Runs `fn` in one span of an {@link eventSpans} template: the message id, links and parent context vary per message. */
export type EventSpanRunner = <T>(messageId: string, links: Link[] | undefined, parentContext: Context | undefined, fn: (span: Span) => T) => SpanResult<T>;

/**
 * {@link withEventSpan} for many messages of one destination (the event
 * bus makes one per publishing bus and type, and one per subscription): the
 * span name and the fixed attributes are built once; each span gets a copy
 * with its `messaging.message.id`. `links` is handed to the span as it is
 * (pass a new array). The spans are the same as `withEventSpan`'s; only
 * when no tracer provider is registered (the span has no valid context)
 * does `fn` run in the parent context itself, where `trace.getActiveSpan()`
 * finds no span instead of an invalid one.
 */
export function eventSpans(template: EventSpanTemplate): EventSpanRunner {
  const { kind, type } = OPERATIONS[template.operation];
  const name = `${template.operation} ${template.destination}`;
  const fixed: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: template.system,
    [ATTR_MESSAGING_DESTINATION_NAME]: template.destination,
    [ATTR_MESSAGING_OPERATION_NAME]: template.operation,
    [ATTR_MESSAGING_OPERATION_TYPE]: type,
  };
  if (template.consumerGroup !== undefined) fixed[ATTR_MESSAGING_CONSUMER_GROUP_NAME] = template.consumerGroup;
  return (messageId, links, parentContext, fn) => {
    const attributes: Attributes = { ...fixed, [ATTR_MESSAGING_MESSAGE_ID]: messageId };
    const options = links === undefined ? { kind, attributes } : { kind, attributes, links };
    const parent = parentContext ?? context.active();
    const span = sightlineTracer().startSpan(name, options, parent);
    // Without a tracer provider the span has no valid context: setting it active would only copy the context.
    return runWithSpan(span, isSpanContextValid(span.spanContext()) ? trace.setSpan(parent, span) : parent, fn, undefined);
  };
}
