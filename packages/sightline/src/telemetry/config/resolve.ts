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
import { resolveMetrics } from './resolve-metrics.ts';
import { resolvePropagators, resolveSpanLimits } from './resolve-propagation.ts';
import { resolveResource } from './resolve-resource.ts';
import { resolveSampler } from './resolve-sampler.ts';
import { resolveBatch, resolveTraces } from './resolve-traces.ts';
import type { LogLevel, ResolvedTelemetryConfig, TelemetryOptions } from './types.ts';
import { asBoolean, asEnum, asMillis, asStringList, optionGroup } from './validate.ts';

/** Baggage entries copied onto spans unless `context.baggageKeys` says otherwise. */
export const DEFAULT_BAGGAGE_KEYS: readonly string[] = [TENANT_ID_KEY, USER_ID_KEY];

/** The `diag` levels `OTEL_LOG_LEVEL` accepts, quietest first. */
export const LOG_LEVELS: readonly LogLevel[] = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'];

/**
 * How telemetry is being started. The entry decides one default: the
 * `--import sightline/register` entry has no code of its own to call
 * `shutdown()`, so it flushes on SIGTERM/SIGINT unless told otherwise.
 */
export type TelemetryEntry = 'startTelemetry' | 'register';

/**
 * Merges `options` with the environment and defaults into a validated,
 * deep-frozen configuration, as `startTelemetry` resolves it. The caller's
 * object is not modified.
 *
 * @param options What the user passed to `startTelemetry`; every field optional.
 * @param env The environment to read `OTEL_*` variables from; `process.env` by default.
 * @throws {InvalidConfigError} when a value is invalid; the message names the setting, the value, its source and what is accepted.
 */
export function resolveTelemetryConfig(options: TelemetryOptions = {}, env: Env = process.env): ResolvedTelemetryConfig {
  return resolveTelemetryConfigFor('startTelemetry', options, env);
}

/** {@link resolveTelemetryConfig} with the defaults of `entry`. */
export function resolveTelemetryConfigFor(entry: TelemetryEntry, options: TelemetryOptions, env: Env): ResolvedTelemetryConfig {
  const resource = resolveResource(options, env);
  return deepFreeze({
    enabled: resolveEnabled(options, env),
    ...resource,
    traces: resolveTraces(options, env),
    batch: resolveBatch(options, env),
    sampler: resolveSampler(options, env),
    propagators: resolvePropagators(options, env),
    spanLimits: resolveSpanLimits(options, env),
    instrumentations: resolveInstrumentations(options, env),
    context: resolveContext(options),
    shutdown: resolveShutdown(options, env, entry),
    metrics: resolveMetrics(options, env),
    logLevel: resolveValue(firstSet('logLevel', options.logLevel, env, ['OTEL_LOG_LEVEL']), (c) => asEnum(c, LOG_LEVELS), undefined),
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

function resolveShutdown(options: TelemetryOptions, env: Env, entry: TelemetryEntry): ResolvedTelemetryConfig['shutdown'] {
  const shutdown = optionGroup(options.shutdown, 'shutdown');
  return {
    handleSignals: resolveValue(
      firstSet('shutdown.handleSignals', shutdown['handleSignals'], env, ['SIGHTLINE_HANDLE_SIGNALS']),
      asBoolean,
      entry === 'register',
    ),
    timeoutMillis: resolveValue(firstSet('shutdown.timeoutMillis', shutdown['timeoutMillis'], {}), asMillis, 5000),
  };
}
