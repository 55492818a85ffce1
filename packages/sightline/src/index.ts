/**
 * Sightline's public API: a hand-written list of named exports; types are on
 * `export type` lines.
 */
export {
  SightlineError,
  InvalidConfigError,
  InvalidTenantError,
  TenantContextMissingError,
  SpanNameMissingError,
  TelemetryAlreadyStartedError,
  TelemetryGlobalConflictError,
} from './errors.ts';
export type { ConfigSource, InvalidConfigDetails } from './errors.ts';
export { VERSION } from './version.ts';

// Telemetry setup
export { startTelemetry } from './telemetry/start-telemetry.ts';
export { currentTelemetry } from './telemetry/current-telemetry.ts';
export type { Telemetry } from './telemetry/telemetry.ts';
export type { TelemetrySpanStats } from './telemetry/span-stats.ts';

// Configuration
export { resolveTelemetryConfig } from './telemetry/config/resolve.ts';
export type {
  BatchOptions,
  ContextOptions,
  FixedSamplerConfig,
  InstrumentationName,
  InstrumentationOptions,
  LogLevel,
  MetricsExporter,
  MetricsOptions,
  OtlpCompression,
  OtlpProtocol,
  RatioSamplerConfig,
  RatioSamplerOptions,
  ResolvedTelemetryConfig,
  RuleSamplerConfig,
  RuleSamplerOptions,
  SamplerConfig,
  SamplerOptions,
  SamplingDecisionRule,
  SamplingRule,
  ShutdownOptions,
  TelemetryOptions,
  TracesExporter,
  TracesOptions,
} from './telemetry/config/types.ts';

// Sampling
export { createSampler } from './telemetry/sampling/create-sampler.ts';

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
export { createBaggagePropagator, DEFAULT_BAGGAGE_KEYS } from './context/baggage-propagator.ts';
export type { BaggagePropagatorOptions } from './context/baggage-propagator.ts';
export { TenantSpanProcessor } from './context/tenant-span-processor.ts';
export type { TenantSpanProcessorOptions } from './context/tenant-span-processor.ts';
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
export { sanitizeSql } from './tracing/sql-sanitizer.ts';
export type { SqlSanitizerOptions } from './tracing/sql-sanitizer.ts';
export { redactUrl } from './tracing/url-redaction.ts';
export type { RedactedUrl } from './tracing/url-redaction.ts';
export { withDbSpan } from './tracing/db-span.ts';
export type { DbSpanOptions } from './tracing/db-span.ts';
export { withHttpClientSpan } from './tracing/http-client-span.ts';
export type { HttpClientSpanOptions, HttpClientRequestContext } from './tracing/http-client-span.ts';
export { withEventSpan } from './tracing/event-span.ts';
export type { EventSpanOptions, MessagingOperation } from './tracing/event-span.ts';

// Metrics
export { MetricDefinitionConflictError, MetricsServerStartError } from './errors.ts';
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
export { createMetricsRegistry } from './metrics/registry.ts';
export { defaultMetricsRegistry } from './metrics/default-registry.ts';
export type { MetricsFormat, MetricsRegistry } from './metrics/registry.ts';
export { DEFAULT_MAX_SERIES_PER_METRIC } from './metrics/registry-options.ts';
export type { MetricsRegistryOptions, ResolvedMetricsRegistryConfig } from './metrics/registry-options.ts';
export { OVERFLOW_LABEL_VALUE } from './metrics/series-guard.ts';
export { MAX_EXEMPLAR_LABEL_CHARS } from './metrics/exemplar.ts';
export { EXCLUDED_DEFAULT_METRICS } from './metrics/default-metrics.ts';
export { tenantLabels, OTHER_TENANT } from './metrics/tenant-label-policy.ts';
export type { TenantLabelPolicy } from './metrics/tenant-label-policy.ts';
export { createMetricsHandler } from './metrics/metrics-handler.ts';
export type { MetricsHandlerOptions, MetricsRequestHandler } from './metrics/metrics-handler.ts';
export { startMetricsServer, DEFAULT_METRICS_PORT } from './metrics/metrics-server.ts';
export type { MetricsServer, MetricsServerOptions } from './metrics/metrics-server.ts';
export { SpanMetricsProcessor } from './metrics/span-metrics-processor.ts';
export { registerTelemetryMetrics } from './metrics/telemetry-metrics.ts';
export type { SpanPipelineStats, SpanPipelineStatsSource } from './metrics/telemetry-metrics.ts';
export { catalogueTable } from './metrics/catalogue-table.ts';

// HTTP server middleware (the adapters are the sightline/http, /express, /fastify and /hono entry points)
export { InvalidHttpOptionsError } from './errors.ts';
export { DEFAULT_TENANT_HEADER, DEFAULT_UNMATCHED_ROUTE } from './http/core/options.ts';
export type { HttpServerOptions } from './http/core/options.ts';
export type { IdSource, HeaderIdSource, ClaimIdSource, FunctionIdSource } from './http/core/id-source.ts';
