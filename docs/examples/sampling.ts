/**
 * Sampling examples for docs/configuration.md. Each builds options for
 * `startTelemetry`; `resolveTelemetryConfig` shows what they resolve to and
 * `createSampler` the SDK sampler that telemetry setup installs.
 */
import type { RuleSamplerOptions, SamplingRule, TelemetryOptions } from 'sightline/sdk';
import { InvalidConfigError } from 'sightline';
import { createSampler, resolveTelemetryConfig } from 'sightline/sdk';

/** Keep 10% of new traces; follow the caller's decision for the rest (the same as OTEL_TRACES_SAMPLER=parentbased_traceidratio, OTEL_TRACES_SAMPLER_ARG=0.1). */
export const tenPercent: TelemetryOptions = {
  serviceName: 'orders',
  sampler: { type: 'parentbased_traceidratio', ratio: 0.1 },
};

/** Rules are tried in order; the first that matches decides. */
export const rules: readonly SamplingRule[] = [
  { route: '/health', ratio: 'never' }, // probes: never kept
  { route: /^\/admin\//, ratio: 'always' }, // rare and important
  { spanName: /^process payment\./, ratio: 0.5 }, // consumer spans of one event family
];

/** Debug one tenant at 100% while every other tenant runs at 1%. */
export const debugOneTenant: RuleSamplerOptions = {
  type: 'rules',
  rules,
  defaultRatio: 0.01,
  alwaysSampleTenants: ['acme'],
};

export const options: TelemetryOptions = { serviceName: 'orders', sampler: debugOneTenant };

/** Resolves the options against this process's environment and returns the sampler's description. */
export function describeSampling(): string {
  try {
    const config = resolveTelemetryConfig(options);
    return createSampler(config.sampler).toString();
  } catch (error) {
    if (error instanceof InvalidConfigError) return `${error.code} (${error.setting} from ${error.source}): ${error.message}`;
    throw error;
  }
}
