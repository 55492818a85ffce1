export { catalogue } from './catalogue.ts';
export type { CatalogueKey } from './catalogue.ts';
export { runtimeMetrics } from './runtime.ts';
export type { RuntimeMetricKey } from './runtime.ts';
export { counter, gauge, histogram } from './definition.ts';
export type {
  CounterDefinition,
  GaugeDefinition,
  HistogramDefinition,
  LabelNamesOf,
  MetricDefinition,
} from './definition.ts';
export {
  CACHE_OPERATION_BUCKETS,
  DB_OPERATION_BUCKETS,
  EVENT_LAG_BUCKETS,
  REQUEST_DURATION_BUCKETS,
} from './buckets.ts';
export { createMetricsRegistry } from './registry.ts';
export { defaultMetricsRegistry } from './default-registry.ts';
export type { MetricsFormat, MetricsRegistry } from './registry.ts';
export type { MetricsRegistryOptions, ResolvedMetricsRegistryConfig } from './registry-options.ts';
export { tenantLabels, OTHER_TENANT } from './tenant-label-policy.ts';
export type { TenantLabelPolicy } from './tenant-label-policy.ts';
export { createMetricsHandler } from './metrics-handler.ts';
export type { MetricsHandlerOptions, MetricsRequestHandler } from './metrics-handler.ts';
export { startMetricsServer, DEFAULT_METRICS_PORT } from './metrics-server.ts';
export type { MetricsServer, MetricsServerOptions } from './metrics-server.ts';
export type { CounterInstrument, GaugeInstrument, HistogramInstrument, LabelValues } from './instruments.ts';
