/**
 * Never fatal: how `startTelemetry` and `--import sightline/register` treat
 * the environment. As the OpenTelemetry specification asks, an invalid
 * `OTEL_*` (or `SIGHTLINE_*`) variable is reported in one line and ignored,
 * so the setting takes its default; telemetry is never the reason a service
 * does not start. `OTEL_SDK_DISABLED=true` ignores every other variable.
 * Options passed in code still throw their typed errors, and
 * `SIGHTLINE_STRICT_CONFIG=true` (for CI and tests) makes a bad variable
 * throw as well.
 */
import { InvalidConfigError } from '../../errors.ts';
import type { Env } from './env.ts';
import { readEnv } from './env.ts';
import { resolveTelemetryConfigFor } from './resolve.ts';
import type { TelemetryEntry } from './resolve.ts';
import type { ResolvedTelemetryConfig, TelemetryOptions } from './types.ts';

/** Receives each one-line report of an ignored variable (start-up writes it to stderr). */
export type ConfigWarning = (line: string) => void;

/** True when `SIGHTLINE_STRICT_CONFIG` is `true` (any letter case): bad variables and a busy metrics port stop start-up. */
export function isStrictConfig(env: Env): boolean {
  return readEnv(env, 'SIGHTLINE_STRICT_CONFIG')?.toLowerCase() === 'true';
}

/**
 * Resolves the configuration like `resolveTelemetryConfig`, except that an
 * invalid environment variable is reported through `warn` and treated as
 * unset, unless strict mode is on.
 *
 * @throws {InvalidConfigError} for an invalid option, or for an invalid variable in strict mode.
 */
export function resolveTelemetryConfigLeniently(
  entry: TelemetryEntry,
  options: TelemetryOptions,
  env: Env,
  warn: ConfigWarning,
): ResolvedTelemetryConfig {
  if (options.enabled === undefined && readEnv(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') {
    return resolveTelemetryConfigFor(entry, options, { OTEL_SDK_DISABLED: 'true' });
  }
  const strict = isStrictConfig(env);
  let current = env;
  for (;;) {
    try {
      return resolveTelemetryConfigFor(entry, options, current);
    } catch (error) {
      if (strict || !(error instanceof InvalidConfigError) || readEnv(current, error.source) === undefined) throw error;
      warn(ignoredVariableLine(error));
      current = { ...current, [error.source]: undefined };
    }
  }
}

/** `sightline: ignoring OTEL_X="v": expected ...; using the default.`, on one line whatever the value holds. */
function ignoredVariableLine(error: InvalidConfigError): string {
  const value = JSON.stringify(typeof error.value === 'string' ? error.value : String(error.value));
  const hint = error.hint === undefined ? '' : ` ${error.hint}`;
  const line = `sightline: ignoring ${error.source}=${value}: expected ${error.expected} (setting ${error.setting}); using the default.${hint}`;
  return line.replace(/[\r\n]+/g, ' ');
}
