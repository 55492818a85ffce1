/**
 * Sightline's public API: a hand-written list of named exports; types are on
 * `export type` lines.
 */
export {
  SightlineError,
  InvalidConfigError,
  InvalidTenantError,
  TenantContextMissingError,
  TelemetryAlreadyStartedError,
  TelemetryGlobalConflictError,
} from './errors.ts';
export type { ConfigSource, InvalidConfigDetails } from './errors.ts';

// Telemetry setup
export { startTelemetry } from './telemetry/start-telemetry.ts';
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
