/**
 * `sightline/sdk`: setting telemetry up. `startTelemetry` (or
 * `--import sightline/register`, which calls it), the resolved
 * configuration, samplers, propagators and span processors. This is the
 * only entry that loads the OpenTelemetry SDK, exporters and
 * instrumentations; code that only records spans and metrics imports
 * `sightline`. A hand-written list of named exports; types are on
 * `export type` lines.
 */

// Telemetry setup
export { startTelemetry } from './start-telemetry.ts';
export type { Telemetry } from './telemetry.ts';
export type { TelemetrySpanStats } from './span-stats.ts';

// Configuration
export { resolveTelemetryConfig } from './config/resolve.ts';
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
} from './config/types.ts';

// Sampling
export { createSampler } from './sampling/create-sampler.ts';

// Propagation
export { createBaggagePropagator, DEFAULT_BAGGAGE_KEYS } from './propagation/baggage-propagator.ts';
export type { BaggagePropagatorOptions } from './propagation/baggage-propagator.ts';

// Span processors
export { TenantSpanProcessor } from '../context/tenant-span-processor.ts';
export type { TenantSpanProcessorOptions } from '../context/tenant-span-processor.ts';
export { SpanMetricsProcessor } from '../metrics/span-metrics-processor.ts';
export { registerTelemetryMetrics } from '../metrics/telemetry-metrics.ts';
export type { SpanPipelineStats, SpanPipelineStatsSource } from '../metrics/telemetry-metrics.ts';
