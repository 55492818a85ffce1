/**
 * OpenTelemetry's own diagnostics (`diag`): export failures, dropped spans,
 * late instrumentation. They are silent unless `OTEL_LOG_LEVEL` names a
 * level, as in every OpenTelemetry SDK; then they go to the console through
 * the API's `DiagConsoleLogger`.
 */
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { InvalidConfigError } from '../errors.ts';

const LEVELS: Readonly<Record<string, DiagLogLevel>> = {
  NONE: DiagLogLevel.NONE,
  ERROR: DiagLogLevel.ERROR,
  WARN: DiagLogLevel.WARN,
  INFO: DiagLogLevel.INFO,
  DEBUG: DiagLogLevel.DEBUG,
  VERBOSE: DiagLogLevel.VERBOSE,
  ALL: DiagLogLevel.ALL,
};

/** Sends `diag` output to the console at `OTEL_LOG_LEVEL` when it is set; throws {@link InvalidConfigError} for an unknown level. */
export function enableDiagLogging(env: NodeJS.ProcessEnv): void {
  const value = env['OTEL_LOG_LEVEL']?.trim();
  if (value === undefined || value === '') return;
  const logLevel = LEVELS[value.toUpperCase()];
  if (logLevel === undefined) {
    throw new InvalidConfigError({
      setting: 'logLevel',
      value,
      source: 'OTEL_LOG_LEVEL',
      expected: `one of ${Object.keys(LEVELS).join(', ')}`,
    });
  }
  diag.setLogger(new DiagConsoleLogger(), { logLevel, suppressOverrideMessage: true });
}
