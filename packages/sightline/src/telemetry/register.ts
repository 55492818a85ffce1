/**
 * The zero-code entry: `node --import sightline/register app.js`.
 *
 * Registers the ES module loader hook first, so instrumentations can patch
 * what the app later loads with `import` as well as `require`, then starts
 * telemetry from the `OTEL_*` environment alone. A bad setting rejects the
 * top-level await here, which stops the process before the app runs, with
 * the typed error (`InvalidConfigError`, its code and message) on stderr.
 * Pending spans are flushed when the process exits normally; set
 * `SIGHTLINE_SHUTDOWN_HANDLE_SIGNALS`/the matching option (see
 * docs/configuration.md) to flush on SIGTERM and SIGINT too.
 */
import { registerLoaderHook } from './loader-hook.ts';
import { startTelemetryAs } from './start-telemetry.ts';

registerLoaderHook();
await startTelemetryAs('`--import sightline/register`', {});
