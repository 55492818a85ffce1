/**
 * Every error Sightline throws is a {@link SightlineError} with a stable
 * `code`, a `name` of its own and a message that says what to do. Errors are
 * thrown at start-up (bad configuration) or returned to the caller of an API
 * that can fail (a full queue); telemetry never throws into application code
 * from the background.
 *
 * The classes live in this one module so the codes stay unique and each is
 * documented in the guides.
 */

/** Base class of every error Sightline throws. */
export class SightlineError extends Error {
  /** A stable identifier such as `SIGHTLINE_INVALID_CONFIG`, safe to match on. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

// Metrics

/** Two different declarations were registered under one metric name. */
export class MetricDefinitionConflictError extends SightlineError {
  constructor(name: string) {
    super(
      'SIGHTLINE_METRIC_CONFLICT',
      `Metric ${name} is already registered with a different declaration; declare each metric once in the catalogue and reuse that declaration.`,
    );
  }
}

// Context

/** A tenant or user id given to `withTenant`/`contextWithTenant` cannot travel in W3C baggage. */
export class InvalidTenantError extends SightlineError {
  /** The field that failed validation: `tenantId` or `userId`. */
  readonly field: 'tenantId' | 'userId';

  constructor(field: 'tenantId' | 'userId', message: string) {
    super('SIGHTLINE_INVALID_TENANT', message);
    this.field = field;
  }
}

/** `getTenantContext()` was called where no tenant is in the active context. */
export class TenantContextMissingError extends SightlineError {
  constructor() {
    super(
      'SIGHTLINE_TENANT_CONTEXT_MISSING',
      'No tenant in the active context. Wrap the call in withTenant({ tenantId }, fn), ' +
        'serve the request through the Sightline HTTP middleware (it reads the `baggage` header), ' +
        'or use tryGetTenantContext() where a tenant is optional.',
    );
  }
}

// Tracing

/** `traced(fn)` was given an anonymous function and no `name` option. */
export class SpanNameMissingError extends SightlineError {
  constructor() {
    super(
      'SIGHTLINE_SPAN_NAME_MISSING',
      'traced(fn) needs a span name: pass a named function or traced(fn, { name: "orders.place" }).',
    );
  }
}

// Events

/**
 * Why an event was refused instead of being handed to a handler. Each value
 * is also the `reason` label of `sightline_events_rejected_total` and the
 * reason recorded on a dead letter.
 */
export type EventRejectionReason =
  | 'queue_full'
  | 'malformed_json'
  | 'invalid_envelope'
  | 'invalid_traceparent'
  | 'type_mismatch'
  | 'invalid_payload'
  | 'shutdown';

/** A memory-transport queue had no room for a published event (`onFull: 'reject'`). */
export class EventQueueFullError extends SightlineError {
  /** Always `queue_full`; the rejection reason counted in `sightline_events_rejected_total`. */
  readonly reason: EventRejectionReason = 'queue_full';
  /** The event type whose subscription queue is full. */
  readonly eventType: string;
  /** The consumer group whose queue is full. */
  readonly group: string;

  constructor(eventType: string, group: string, capacity: number) {
    super(
      'SIGHTLINE_EVENT_QUEUE_FULL',
      `The queue of consumer group "${group}" for ${eventType} is full (capacity ${capacity}); the event was not accepted. ` +
        'Retry later, raise `capacity` or `concurrency`, or set `onFull: "wait"` on memoryTransport() to wait for room.',
    );
    this.eventType = eventType;
    this.group = group;
  }
}

/** `publish` or `subscribe` was called on an event bus after `close()`. */
export class EventBusClosedError extends SightlineError {
  constructor(operation: 'publish' | 'subscribe') {
    super(
      'SIGHTLINE_EVENT_BUS_CLOSED',
      `Cannot ${operation}: the event bus is closed. Create a new bus, or close it only when the service stops.`,
    );
  }
}

/** An event-bus, subscription or transport option has a value that cannot work. */
export class InvalidEventOptionError extends SightlineError {
  /** The option that failed validation, e.g. `concurrency`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super('SIGHTLINE_INVALID_EVENT_OPTION', message);
    this.option = option;
  }
}

/** A second subscription with the same event type and consumer group was made on one bus. */
export class DuplicateSubscriptionError extends SightlineError {
  constructor(eventType: string, group: string) {
    super(
      'SIGHTLINE_DUPLICATE_SUBSCRIPTION',
      `This bus already has a subscription to ${eventType} for consumer group "${group}". ` +
        'Use one handler per type and group (raise `concurrency` for parallelism), or a different `group` to receive a copy.',
    );
  }
}

/**
 * The idempotency helper found another run of the same event still in
 * progress (its lease has not expired). The dispatcher retries the event
 * later, like any handler failure.
 */
export class EventInProgressError extends SightlineError {
  constructor(eventId: string) {
    super(
      'SIGHTLINE_EVENT_IN_PROGRESS',
      `Event ${eventId} is being processed elsewhere (its idempotency lease is held); it will be retried. ` +
        'If this repeats, check that `leaseMs` is longer than the handler takes.',
    );
  }
}
