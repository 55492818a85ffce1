/**
 * Sightline's public API. Every export is listed by name; types are on
 * `export type` lines.
 */
export { SightlineError, InvalidConfigError, InvalidTenantError, TenantContextMissingError } from './errors.ts';
export type { ConfigSource, InvalidConfigDetails } from './errors.ts';

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
