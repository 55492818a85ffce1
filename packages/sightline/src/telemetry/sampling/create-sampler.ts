/** Turns a sampler configuration into an OpenTelemetry SDK sampler. */
import type { Sampler } from '@opentelemetry/sdk-trace';
import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import { resolveSamplerOptions } from '../config/resolve-sampler.ts';
import type { SamplerOptions } from '../config/types.ts';
import { RuleSampler } from './rule-sampler.ts';

/**
 * Builds the SDK sampler for `config`, usually `resolveTelemetryConfig().sampler`.
 * The configuration is validated again (a hand-written one may be passed), so
 * a bad value throws `InvalidConfigError` here rather than misbehaving later.
 *
 * - `always_on`, `always_off`, `traceidratio`: the SDK samplers of those names.
 * - `parentbased_*`: the same, for root spans only; a parent's decision is followed.
 * - `rules`: Sightline's rule sampler, wrapped in a parent-based sampler unless `parentBased: false`.
 */
export function createSampler(config: SamplerOptions): Sampler {
  const resolved = resolveSamplerOptions(config);
  switch (resolved.type) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(resolved.ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(resolved.ratio) });
    case 'rules': {
      const rules = new RuleSampler(resolved);
      return resolved.parentBased ? new ParentBasedSampler({ root: rules }) : rules;
    }
  }
}

/**
 * Whether the sampler built from `config` decides on span attributes (the
 * rule sampler matches routes and paths); the standard samplers look only at
 * the trace id and the parent. Instrumentations that make their span's
 * attributes for the sampler can leave them to recorded spans otherwise.
 */
export function samplerReadsAttributes(config: SamplerOptions): boolean {
  return resolveSamplerOptions(config).type === 'rules';
}

/**
 * Whether the sampler built from `config` drops every child of a local span
 * that was not sampled: the parent-based samplers (the `parentbased_*` ones,
 * and the rule sampler unless `parentBased: false`) follow the parent, and
 * `always_off` drops everything. Such a child need not ask it.
 */
export function samplerDropsUnsampledChildren(config: SamplerOptions): boolean {
  const resolved = resolveSamplerOptions(config);
  if (resolved.type === 'rules') return resolved.parentBased;
  return resolved.type === 'always_off' || resolved.type.startsWith('parentbased_');
}
