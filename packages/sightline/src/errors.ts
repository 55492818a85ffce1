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
