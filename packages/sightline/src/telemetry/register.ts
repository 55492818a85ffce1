/**
 * The zero-code entry: `node --import sightline/register app.js`.
 *
 * Registers the ES module loader hook first, so instrumentations can patch
 * what the app later loads with `import` as well as `require`, then starts
 * telemetry configured by the `OTEL_*` environment alone. Telemetry never
 * keeps the app from starting: a bad variable is one line on stderr and its
 * default is used, and should telemetry fail to start at all, that too is one
 * line on stderr and the app runs without it. With
 * `SIGHTLINE_STRICT_CONFIG=true` (for CI and tests) a bad setting instead
 * rejects the top-level await here, which stops the process before the app
 * runs, with the typed error (`InvalidConfigError`, its code and message) on
 * stderr.
 *
 * With no code of its own to call `shutdown()`, this entry also flushes on
 * SIGTERM and SIGINT by default (`shutdown.handleSignals` defaults to true
 * here; `SIGHTLINE_HANDLE_SIGNALS=false` turns it off): the app's own signal
 * listeners still decide what happens, and without any the signal is raised
 * again after the flush, so the process ends exactly as it would have.
 */
import { isStrictConfig } from './config/resolve-leniently.ts';
import { registerLoaderHook } from './loader-hook.ts';
import { startTelemetryAs } from './start-telemetry.ts';
import { writeStderrLine } from './stderr-line.ts';

registerLoaderHook();
try {
  await startTelemetryAs('`--import sightline/register`', {});
} catch (error) {
  if (isStrictConfig(process.env)) throw error;
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  writeStderrLine(`sightline: telemetry did not start and the app runs without it. ${reason}`.replace(/[\r\n]+/g, ' '));
}
