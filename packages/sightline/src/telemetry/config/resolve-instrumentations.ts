/**
 * Which instrumentations are on: all by default;
 * `OTEL_NODE_ENABLED_INSTRUMENTATIONS` keeps only the listed ones,
 * `OTEL_NODE_DISABLED_INSTRUMENTATIONS` then turns the listed ones off, and
 * `options.instrumentations` overrides each name.
 */
import type { Env } from './env.ts';
import { firstSet } from './env.ts';
import type { InstrumentationName, ResolvedTelemetryConfig, TelemetryOptions } from './types.ts';
import { asBoolean, optionGroup, reject } from './validate.ts';

/** Every instrumentation Sightline knows, by its OpenTelemetry short name. */
export const INSTRUMENTATION_NAMES: readonly InstrumentationName[] = ['http', 'undici', 'pg', 'ioredis', 'express', 'fastify', 'pino', 'winston'];

function isInstrumentationName(name: string): name is InstrumentationName {
  return (INSTRUMENTATION_NAMES as readonly string[]).includes(name);
}

/** Resolves `config.instrumentations`. */
export function resolveInstrumentations(options: TelemetryOptions, env: Env): ResolvedTelemetryConfig['instrumentations'] {
  const enabled = new Set<InstrumentationName>(readList(env, 'OTEL_NODE_ENABLED_INSTRUMENTATIONS') ?? INSTRUMENTATION_NAMES);
  for (const name of readList(env, 'OTEL_NODE_DISABLED_INSTRUMENTATIONS') ?? []) enabled.delete(name);

  const result = Object.fromEntries(INSTRUMENTATION_NAMES.map((name) => [name, enabled.has(name)])) as Record<InstrumentationName, boolean>;
  for (const [name, value] of Object.entries(optionGroup(options.instrumentations, 'instrumentations'))) {
    if (!isInstrumentationName(name)) {
      reject({ setting: 'instrumentations', source: 'option', value: name }, `an object whose keys are instrumentation names (${INSTRUMENTATION_NAMES.join(', ')})`);
    }
    if (value !== undefined) result[name] = asBoolean({ setting: `instrumentations.${name}`, source: 'option', value });
  }
  return result;
}

function readList(env: Env, variable: string): InstrumentationName[] | undefined {
  const candidate = firstSet('instrumentations', undefined, env, [variable]);
  if (candidate === undefined) return undefined;
  return String(candidate.value)
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '')
    .map((entry) => {
      if (!isInstrumentationName(entry)) {
        return reject({ ...candidate, value: entry }, `a comma-separated list whose entries are each one of ${INSTRUMENTATION_NAMES.join(', ')}`);
      }
      return entry;
    });
}
