/**
 * Ties telemetry shutdown to the life of the process. A normal exit
 * (`beforeExit`, the event loop ran dry) always shuts telemetry down, which
 * exports pending spans. When asked, SIGTERM and SIGINT flush too, and then
 * the process ends as it would have without Sightline:
 *
 * - when the app has no listener of its own for the signal, telemetry shuts
 *   down and the signal is raised again, so the process still dies by that
 *   signal (same exit status, same behaviour for a supervisor);
 * - when the app has listeners, they decide what happens and are usually
 *   still draining work that makes spans: telemetry only flushes what is
 *   pending and keeps running, so the spans of the drain are exported too,
 *   by the `beforeExit` shutdown or by the app's own `shutdown()` call.
 *
 * A second signal during the flush is not caught, so it ends the process at once.
 */

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** What {@link installProcessHooks} installed; `remove()` takes it all away again (idempotent). */
export interface ProcessHooks {
  remove(): void;
}

/** What the hooks call; neither may reject. */
export interface TelemetryLifecycle {
  /** Exports what is pending and stops. */
  shutdown(): Promise<void>;
  /** Exports what is pending and keeps running. */
  forceFlush(): Promise<void>;
}

/**
 * Installs the `beforeExit` shutdown and, with `handleSignals`, the SIGTERM
 * and SIGINT handlers.
 */
export function installProcessHooks(telemetry: TelemetryLifecycle, handleSignals: boolean): ProcessHooks {
  const onBeforeExit = (): void => {
    void telemetry.shutdown();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    removeSignalListeners();
    if (process.listenerCount(signal) > 0) {
      void telemetry.forceFlush();
      return;
    }
    void telemetry.shutdown().then(() => {
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  };
  const removeSignalListeners = (): void => {
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };

  process.once('beforeExit', onBeforeExit);
  if (handleSignals) for (const signal of SIGNALS) process.on(signal, onSignal);
  return {
    remove: () => {
      process.removeListener('beforeExit', onBeforeExit);
      removeSignalListeners();
    },
  };
}
