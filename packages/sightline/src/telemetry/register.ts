/**
 * The zero-code entry: `node --import sightline/register app.js`.
 *
 * Registers the ES module loader hook first, so instrumentations can patch
 * what the app later loads with `import` as well as `require`, then starts
 * telemetry configured by the `OTEL_*` environment alone. A bad setting
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
import { registerLoaderHook } from './loader-hook.ts';
import { startTelemetryAs } from './start-telemetry.ts';

registerLoaderHook();
await startTelemetryAs('`--import sightline/register`', {});
