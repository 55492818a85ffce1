/**
 * `resolveTelemetryConfig`: options in, frozen configuration out. For every
 * setting the order is: the explicit option, the standard `OTEL_*`
 * variable, Sightline's alias variable, the default. Every value is
 * validated; a bad one throws {@link InvalidConfigError}.
 */
import { TENANT_ID_KEY, USER_ID_KEY } from '../../context/keys.ts';
import { deepFreeze } from './deep-freeze.ts';
import type { Env } from './env.ts';
import { firstSet, resolveValue } from './env.ts';
import { resolveInstrumentations } from './resolve-instrumentations.ts';
import { resolveResource } from './resolve-resource.ts';
import { resolveSampler } from './resolve-sampler.ts';
import { resolveBatch, resolveTraces } from './resolve-traces.ts';
import type { ResolvedTelemetryConfig, TelemetryOptions } from './types.ts';
import { asBoolean, asEnum, asInteger, asMillis, asNonEmptyString, asStringList, optionGroup } from './validate.ts';

/** Baggage entries copied onto spans unless `context.baggageKeys` says otherwise. */
export const DEFAULT_BAGGAGE_KEYS: readonly string[] = [TENANT_ID_KEY, USER_ID_KEY];

/**
 * Merges `options` with the environment and defaults into a validated,
 * deep-frozen configuration. The caller's object is not modified.
 *
 * @param options What the user passed to `startTelemetry`; every field optional.
 * @param env The environment to read `OTEL_*` variables from; `process.env` by default.
 * @throws {InvalidConfigError} when a value is invalid; the message names the setting, the value, its source and what is accepted.
 */
export function resolveTelemetryConfig(options: TelemetryOptions = {}, env: Env = process.env): ResolvedTelemetryConfig {
  const resource = resolveResource(options, env);
  return deepFreeze({
    enabled: resolveEnabled(options, env),
    ...resource,
    traces: resolveTraces(options, env),
    batch: resolveBatch(options, env),
    sampler: resolveSampler(options, env),
    instrumentations: resolveInstrumentations(options, env),
    context: resolveContext(options),
    shutdown: resolveShutdown(options),
    metrics: resolveMetrics(options, env),
  });
}

/** `enabled`: the option, else `OTEL_SDK_DISABLED` (inverted), else the alias `OTEL_ENABLED`, else true. */
function resolveEnabled(options: TelemetryOptions, env: Env): boolean {
  if (options.enabled !== undefined) return asBoolean({ setting: 'enabled', source: 'option', value: options.enabled });
  const disabled = firstSet('enabled', undefined, env, ['OTEL_SDK_DISABLED']);
  if (disabled !== undefined) return !asBoolean(disabled);
  return resolveValue(firstSet('enabled', undefined, env, ['OTEL_ENABLED']), asBoolean, true);
}

function resolveContext(options: TelemetryOptions): ResolvedTelemetryConfig['context'] {
  const context = optionGroup(options.context, 'context');
  return {
    hashUserIds: resolveValue(firstSet('context.hashUserIds', context['hashUserIds'], {}), asBoolean, false),
    baggageKeys: resolveValue(firstSet('context.baggageKeys', context['baggageKeys'], {}), asStringList, [...DEFAULT_BAGGAGE_KEYS]),
  };
}

function resolveShutdown(options: TelemetryOptions): ResolvedTelemetryConfig['shutdown'] {
  const shutdown = optionGroup(options.shutdown, 'shutdown');
  return {
    handleSignals: resolveValue(firstSet('shutdown.handleSignals', shutdown['handleSignals'], {}), asBoolean, false),
    timeoutMillis: resolveValue(firstSet('shutdown.timeoutMillis', shutdown['timeoutMillis'], {}), asMillis, 5000),
  };
}

function resolveMetrics(options: TelemetryOptions, env: Env): ResolvedTelemetryConfig['metrics'] {
  const metrics = optionGroup(options.metrics, 'metrics');
  return {
    exporter: resolveValue(
      firstSet('metrics.exporter', metrics['exporter'], env, ['OTEL_METRICS_EXPORTER']),
      (c) => asEnum(c, ['prometheus', 'none'] as const),
      'none',
    ),
    host: resolveValue(firstSet('metrics.host', metrics['host'], env, ['OTEL_EXPORTER_PROMETHEUS_HOST']), asNonEmptyString, '0.0.0.0'),
    port: resolveValue(
      firstSet('metrics.port', metrics['port'], env, ['OTEL_EXPORTER_PROMETHEUS_PORT']),
      (c) => asInteger(c, { min: 0, max: 65_535 }),
      9464,
    ),
  };
}
