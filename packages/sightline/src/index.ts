/**
 * The public API of `sightline`: a hand-written list of named exports.
 */

export { SightlineError, InvalidConfigError } from './errors.ts';
export type { ConfigSource, InvalidConfigDetails } from './errors.ts';

export { resolveTelemetryConfig } from './telemetry/config/resolve.ts';
export type {
  BatchOptions,
  ContextOptions,
  FixedSamplerConfig,
  InstrumentationName,
  InstrumentationOptions,
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

export { createSampler } from './telemetry/sampling/create-sampler.ts';
