/**
 * `sightline`: the API that service and library code imports (tenant
 * context, span helpers, the metric catalogue and instrument interfaces,
 * errors). Like `@opentelemetry/api`, it loads nothing but
 * `@opentelemetry/api`: setting telemetry up (`startTelemetry`, samplers,
 * processors, exporters) is the `sightline/sdk` entry, and the Prometheus
 * registry and `/metrics` are `sightline/metrics`. A hand-written list of
 * named exports; types are on `export type` lines.
 */
export {
  SightlineError,
  InvalidConfigError,
  InvalidTenantError,
  TenantContextMissingError,
  SpanNameMissingError,
  TelemetryAlreadyStartedError,
  TelemetryGlobalConflictError,
  MetricDefinitionConflictError,
  MetricsServerStartError,
  InvalidHttpOptionsError,
  EventQueueFullError,
  EventBusClosedError,
  InvalidEventOptionError,
  DuplicateSubscriptionError,
  EventInProgressError,
  InvalidInstrumentationOptionError,
  UnsupportedInstrumentationTargetError,
} from './errors.ts';
export type { ConfigSource, EventRejectionReason, InvalidConfigDetails } from './errors.ts';
export { VERSION } from './version.ts';

// The running telemetry, however it was started
export { currentTelemetry } from './telemetry/current-telemetry.ts';
export type { Telemetry } from './telemetry/telemetry.ts';
export type { TelemetrySpanStats } from './telemetry/span-stats.ts';

// Tenant context
export { TENANT_ID_KEY, USER_ID_KEY } from './context/keys.ts';
export {
  withTenant,
  getTenantContext,
  tryGetTenantContext,
  contextWithTenant,
  tenantFromContext,
} from './context/tenant-context.ts';
export type { TenantContext } from './context/tenant-context.ts';
export { MAX_ID_LENGTH } from './context/tenant-id-format.ts';
export { hashUserId, USER_ID_HASH_LENGTH } from './context/hash-user-id.ts';

// Tracing
export { withSpan } from './tracing/with-span.ts';
export type { WithSpanOptions } from './tracing/with-span.ts';
export type { SpanResult } from './tracing/span-result.ts';
export { TRACER_NAME, sightlineTracer } from './tracing/tracer.ts';
export { traced } from './tracing/traced.ts';
export type { TracedOptions } from './tracing/traced.ts';
export { recordError, errorType } from './tracing/record-error.ts';
export { spanAttributes, ATTR_APP_MODULE, ATTR_APP_OPERATION } from './tracing/attributes.ts';
export type { SpanAttributesBuilder, KnownAttributes, AttributeValueFor } from './tracing/attributes.ts';
export { measure, ATTR_MEASURE_DURATION_MS } from './tracing/measure.ts';
export type { MeasureOptions } from './tracing/measure.ts';
export type { SqlSanitizerOptions } from './tracing/sql-sanitizer.ts';
export { withDbSpan } from './tracing/db-span.ts';
export type { DbSpanOptions } from './tracing/db-span.ts';
export { withHttpClientSpan } from './tracing/http-client-span.ts';
export type { HttpClientSpanOptions, HttpClientRequestContext } from './tracing/http-client-span.ts';
export { withEventSpan } from './tracing/event-span.ts';
export type { EventSpanOptions, MessagingOperation } from './tracing/event-span.ts';

// Metric catalogue and instrument interfaces (the Prometheus registry and /metrics are sightline/metrics)
export { catalogue } from './metrics/catalogue.ts';
export type { CatalogueKey } from './metrics/catalogue.ts';
export { counter, gauge, histogram } from './metrics/definition.ts';
export type {
  CounterDefinition,
  GaugeDefinition,
  HistogramDefinition,
  LabelNamesOf,
  MetricDefinition,
} from './metrics/definition.ts';
export {
  CACHE_OPERATION_BUCKETS,
  DB_OPERATION_BUCKETS,
  EVENT_LAG_BUCKETS,
  REQUEST_DURATION_BUCKETS,
} from './metrics/buckets.ts';
export type { CounterInstrument, GaugeInstrument, HistogramInstrument, LabelValues } from './metrics/instruments.ts';
export type { MetricsFormat, MetricsRegistry } from './metrics/registry.ts';

// HTTP server middleware options (the adapters are the sightline/http, /express, /fastify and /hono entry points)
export { DEFAULT_TENANT_HEADER, DEFAULT_UNMATCHED_ROUTE } from './http/core/options.ts';
export type { HttpServerOptions } from './http/core/options.ts';
export type { IdSource, HeaderIdSource, ClaimIdSource, FunctionIdSource } from './http/core/id-source.ts';
