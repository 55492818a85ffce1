/**
 * OpenTelemetry's own diagnostics (`diag`): export failures, dropped spans,
 * late instrumentation. They are silent unless `config.logLevel` (the
 * `logLevel` option or `OTEL_LOG_LEVEL`) names a level, as in every
 * OpenTelemetry SDK; then they go to the console through the API's
 * `DiagConsoleLogger`.
 */
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import type { LogLevel } from './config/types.ts';

const LEVELS: { readonly [K in LogLevel]: DiagLogLevel } = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/** Sends `diag` output to the console at `level`; with no level, `diag` is left as it is. */
export function enableDiagLogging(level: LogLevel | undefined): void {
  if (level === undefined) return;
  diag.setLogger(new DiagConsoleLogger(), { logLevel: LEVELS[level], suppressOverrideMessage: true });
}
