/** The handle every `instrument*` function returns, to undo what it added. */

/**
 * Undoes an instrumentation: removes every listener, wrapper and
 * scrape-time collector it added, and the series that only it kept up to
 * date. Idempotent; `using handle = instrumentBreaker(…)` disposes at the
 * end of the block.
 */
export interface InstrumentationHandle {
  dispose(): void;
  [Symbol.dispose](): void;
}

/** Makes a handle that runs each of `cleanups` once, on the first `dispose()`. */
export function instrumentationHandle(cleanups: readonly (() => void)[]): InstrumentationHandle {
  let disposed = false;
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    for (const cleanup of cleanups) cleanup();
  };
  return { dispose, [Symbol.dispose]: dispose };
}
