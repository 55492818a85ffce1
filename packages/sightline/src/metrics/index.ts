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
export type { CounterInstrument, GaugeInstrument, HistogramInstrument, LabelValues } from './instruments.ts';
