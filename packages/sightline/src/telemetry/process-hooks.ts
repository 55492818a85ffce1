/**
 * Ties telemetry shutdown to the life of the process. A normal exit
 * (`beforeExit`, the event loop ran dry) always flushes pending spans. When
 * asked, SIGTERM and SIGINT flush too, and then the process ends as it would
 * have without Sightline: when the app has listeners of its own for the
 * signal they decide what happens; when it has none, the signal is raised
 * again after the flush, so the process still dies by that signal (same exit
 * status, same behaviour for a supervisor). A second signal during the flush
 * is not caught, so it ends the process at once.
 */

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** What {@link installProcessHooks} installed; `remove()` takes it all away again (idempotent). */
export interface ProcessHooks {
  remove(): void;
}

/**
 * Installs the `beforeExit` flush and, with `handleSignals`, the SIGTERM and
 * SIGINT handlers. `shutdown` must never reject.
 */
export function installProcessHooks(shutdown: () => Promise<void>, handleSignals: boolean): ProcessHooks {
  const onBeforeExit = (): void => {
    void shutdown();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    removeSignalListeners();
    const appDecides = process.listenerCount(signal) > 0;
    void shutdown().then(() => {
      if (!appDecides && process.listenerCount(signal) === 0) process.kill(process.pid, signal);
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
