/**
 * Propagation (`OTEL_PROPAGATORS`) and span limits (`OTEL_SPAN_*`,
 * `OTEL_ATTRIBUTE_*`, `OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT`,
 * `OTEL_LINK_ATTRIBUTE_COUNT_LIMIT`).
 */
import type { Candidate, Env } from './env.ts';
import { firstSet, resolveValue } from './env.ts';
import type { PropagatorName, ResolvedTelemetryConfig, TelemetryOptions } from './types.ts';
import { asEnumList, asInteger, optionGroup, reject } from './validate.ts';

const PROPAGATORS: readonly PropagatorName[] = ['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger'];
const DEFAULT_PROPAGATORS: readonly PropagatorName[] = ['tracecontext', 'baggage'];

/** Resolves `config.propagators`: an option array (`[]` for none), else `OTEL_PROPAGATORS`, else tracecontext and baggage. */
export function resolvePropagators(options: TelemetryOptions, env: Env): readonly PropagatorName[] {
  return resolveValue(firstSet('propagators', options.propagators, env, ['OTEL_PROPAGATORS']), asPropagators, [...DEFAULT_PROPAGATORS]);
}

function asPropagators(candidate: Candidate): PropagatorName[] {
  if (candidate.source === 'option') {
    if (Array.isArray(candidate.value) && candidate.value.length === 0) return [];
    if (!Array.isArray(candidate.value)) return reject(candidate, `an array of ${PROPAGATORS.join(', ')}`);
    return asEnumList(candidate, PROPAGATORS);
  }
  if (String(candidate.value).trim().toLowerCase() === 'none') return [];
  return asEnumList(candidate, PROPAGATORS);
}

/** Resolves `config.spanLimits`: the option, else the `OTEL_SPAN_*` variable, else the general `OTEL_ATTRIBUTE_*` one, else the default. */
export function resolveSpanLimits(options: TelemetryOptions, env: Env): ResolvedTelemetryConfig['spanLimits'] {
  const limits = optionGroup(options.spanLimits, 'spanLimits');
  const limit = (name: string, envNames: readonly string[], fallback: number): number =>
    resolveValue(firstSet(`spanLimits.${name}`, limits[name], env, envNames), asLimit, fallback);
  return {
    attributeValueLengthLimit: resolveValue(
      firstSet('spanLimits.attributeValueLengthLimit', limits['attributeValueLengthLimit'], env, [
        'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT',
        'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT',
      ]),
      asLimit,
      undefined,
    ),
    attributeCountLimit: limit('attributeCountLimit', ['OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT'], 128),
    eventCountLimit: limit('eventCountLimit', ['OTEL_SPAN_EVENT_COUNT_LIMIT'], 128),
    linkCountLimit: limit('linkCountLimit', ['OTEL_SPAN_LINK_COUNT_LIMIT'], 128),
    attributePerEventCountLimit: limit('attributePerEventCountLimit', ['OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT'], 128),
    attributePerLinkCountLimit: limit('attributePerLinkCountLimit', ['OTEL_LINK_ATTRIBUTE_COUNT_LIMIT'], 128),
  };
}

function asLimit(candidate: Candidate): number {
  return asInteger(candidate, { min: 0 });
}
