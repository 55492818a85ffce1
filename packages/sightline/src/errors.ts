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

// Configuration

/** Where a configuration value came from: a `startTelemetry` option, or the environment variable of that name. */
export type ConfigSource = 'option' | (string & {});

/** What {@link InvalidConfigError} reports about a rejected value. */
export interface InvalidConfigDetails {
  /** The setting, as its option path (`traces.timeoutMillis`, `sampler.ratio`). */
  readonly setting: string;
  /** The value received; `'[redacted]'` for header values, which may hold credentials. */
  readonly value: unknown;
  /** `'option'`, or the name of the environment variable the value came from. */
  readonly source: ConfigSource;
  /** What the setting accepts, e.g. `a number between 0 and 1`. */
  readonly expected: string;
  /** What to do about it, when the expectation alone does not say. */
  readonly hint?: string | undefined;
}

/**
 * A configuration value was rejected at start-up. The message names the
 * setting, the value, where it came from and what is accepted, e.g.
 * "Expected OTEL_TRACES_SAMPLER_ARG to be a number between 0 and 1, got '1.5' (setting sampler.ratio)."
 */
export class InvalidConfigError extends SightlineError {
  readonly setting: string;
  readonly value: unknown;
  readonly source: ConfigSource;
  readonly expected: string;
  readonly hint: string | undefined;

  constructor(details: InvalidConfigDetails, options?: ErrorOptions) {
    super('SIGHTLINE_INVALID_CONFIG', invalidConfigMessage(details), options);
    this.setting = details.setting;
    this.value = details.value;
    this.source = details.source;
    this.expected = details.expected;
    this.hint = details.hint;
  }
}

function invalidConfigMessage({ setting, value, source, expected, hint }: InvalidConfigDetails): string {
  const where = source === 'option' ? `option ${setting}` : source;
  const suffix = source === 'option' ? '' : ` (setting ${setting})`;
  return `Expected ${where} to be ${expected}, got ${formatValue(value)}${suffix}.${hint === undefined ? '' : ` ${hint}`}`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof RegExp) return value.toString();
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

// Telemetry setup

/**
 * `startTelemetry` was called while telemetry is already running in this
 * process, for instance an app started with `--import sightline/register`
 * that also calls `startTelemetry()`. Keep one of the two, or call
 * `shutdown()` on the running handle before starting again.
 */
export class TelemetryAlreadyStartedError extends SightlineError {
  /** How the running telemetry was started: `--import sightline/register` or `startTelemetry()`. */
  readonly startedBy: string;

  constructor(startedBy: string) {
    super(
      'SIGHTLINE_TELEMETRY_ALREADY_STARTED',
      `Telemetry is already running in this process (started by ${startedBy}). ` +
        'Start it once: either `node --import sightline/register` or one startTelemetry() call; ' +
        'to restart with other options, await shutdown() on the running handle first.',
    );
    this.startedBy = startedBy;
  }
}

/**
 * Another OpenTelemetry SDK already registered the global tracer provider,
 * so Sightline's spans would go nowhere. Remove the other SDK setup (for
 * example `@opentelemetry/sdk-node` or `--require @opentelemetry/auto-instrumentations-node/register`)
 * or let it export instead of Sightline.
 */
export class TelemetryGlobalConflictError extends SightlineError {
  constructor() {
    super(
      'SIGHTLINE_TELEMETRY_GLOBAL_CONFLICT',
      'Another OpenTelemetry SDK has already registered the global tracer provider, so Sightline cannot start. ' +
        'Remove the other setup (e.g. @opentelemetry/sdk-node or an auto-instrumentations --require) ' +
        'or do not start Sightline telemetry in this process.',
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

/** The metrics server could not listen on its host and port. */
export class MetricsServerStartError extends SightlineError {
  readonly host: string;
  readonly port: number;

  constructor(host: string, port: number, cause: Error) {
    super(
      'SIGHTLINE_METRICS_SERVER_START',
      `The metrics server could not listen on ${host}:${port} (${cause.message}). ` +
        'Choose a free port with the port option or OTEL_EXPORTER_PROMETHEUS_PORT (0 picks one), ' +
        'or a local interface with the host option or OTEL_EXPORTER_PROMETHEUS_HOST.',
      { cause },
    );
    this.host = host;
    this.port = port;
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

// HTTP

/** An option of an HTTP server middleware (`sightline/http`, `/express`, `/fastify`, `/hono`) is unusable. */
export class InvalidHttpOptionsError extends SightlineError {
  /** The option that failed validation, e.g. `tenant.header`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super('SIGHTLINE_INVALID_HTTP_OPTIONS', message);
    this.option = option;
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
  | 'too_large'
  | 'too_deep'
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

/**
 * A handler ran longer than its subscription's `timeoutMs`. The bus settles
 * the event as a failed run (retried, then dead-lettered) and frees the
 * worker; the handler's promise is left to finish on its own.
 */
export class EventHandlerTimeoutError extends SightlineError {
  constructor(eventType: string, group: string, timeoutMs: number) {
    super(
      'SIGHTLINE_EVENT_HANDLER_TIMEOUT',
      `The ${eventType} handler of group "${group}" did not finish within timeoutMs (${timeoutMs} ms); the run counts as failed. ` +
        'Make the handler time out its own calls, or raise `timeoutMs` in subscribe() if it is only slow.',
    );
  }
}

/** An event's encoded envelope is larger than the transport carries (`maxMessageBytes`). */
export class EventTooLargeError extends SightlineError {
  /** Always `too_large`; the rejection reason counted in `sightline_events_rejected_total`. */
  readonly reason: EventRejectionReason = 'too_large';
  /** The event type that was published. */
  readonly eventType: string;

  constructor(eventType: string, bytes: number, maxBytes: number) {
    super(
      'SIGHTLINE_EVENT_TOO_LARGE',
      `The ${eventType} event is ${bytes} bytes encoded, more than the transport carries (${maxBytes} bytes); it was not published. ` +
        'Put large payloads in storage and publish a reference to them.',
    );
    this.eventType = eventType;
  }
}

// Operations assets: SLO files, alert rules and dashboards (sightline-cli)

/** An SLO file could not be read, parsed or validated. */
export class SloFileError extends SightlineError {
  /** The file the problem is in. */
  readonly file: string;

  constructor(file: string, problems: readonly string[], options?: ErrorOptions) {
    super(
      'SIGHTLINE_INVALID_SLO_FILE',
      `SLO file ${file} is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n` +
        'Fix the fields named above; docs/alerting.md describes the format.',
      options,
    );
    this.file = file;
  }
}

/** The `sightline` command was called with arguments it does not accept. */
export class CliUsageError extends SightlineError {
  constructor(message: string) {
    super('SIGHTLINE_CLI_USAGE', message);
  }
}

// Resilience and database instrumentation

/** An `instrument*` function was given an option it cannot use. */
export class InvalidInstrumentationOptionError extends SightlineError {
  constructor(setting: string, value: unknown, expected: string) {
    super(
      'SIGHTLINE_INVALID_INSTRUMENTATION_OPTION',
      `Expected \`${setting}\` to be ${expected}, got ${JSON.stringify(value) ?? String(value)}.`,
    );
  }
}

/** `instrumentBreaker` or `instrumentCache` was given an object it does not recognise. */
export class UnsupportedInstrumentationTargetError extends SightlineError {
  constructor(what: string, supported: string) {
    super(
      'SIGHTLINE_UNSUPPORTED_INSTRUMENTATION_TARGET',
      `Cannot instrument this ${what}: it has none of the supported shapes (${supported}). Pass one of those, or wrap yours in an adapter.`,
    );
  }
}
