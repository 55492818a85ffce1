/**
 * The deadline of handler runs. One timer per subscription checks the runs
 * in flight, instead of a timer per run: a per-run `setTimeout` cost the
 * memory bus about a third of its throughput. A run is failed at most one
 * check interval (a tenth of the deadline) after its deadline.
 */
import { isThenable } from '../tracing/span-result.ts';

interface Watched {
  readonly startedAt: number;
  readonly fail: () => void;
}

/** Fails runs that outlive `timeoutMs`. */
export class HandlerDeadline {
  readonly #timeoutMs: number;
  readonly #timeout: () => Error;
  readonly #runs = new Set<Watched>();
  #timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number, timeout: () => Error) {
    this.#timeoutMs = timeoutMs;
    this.#timeout = timeout;
  }

  /**
   * Resolves or rejects as `run()` does, or rejects with the timeout error
   * once the deadline has passed. A run that returns without a promise (a
   * synchronous handler) is over before any timer could fire, so only runs
   * that return a promise are watched; one that throws throws here.
   */
  run(run: () => unknown): Promise<unknown> {
    const result = run();
    if (!isThenable(result)) return Promise.resolve(result);
    const { promise, resolve, reject } = Promise.withResolvers<unknown>();
    const watched: Watched = { startedAt: performance.now(), fail: () => reject(this.#timeout()) };
    this.#runs.add(watched);
    this.#timer ??= setInterval(() => this.#check(), Math.max(5, this.#timeoutMs / 10)).unref();
    Promise.resolve(result)
      .finally(() => this.#runs.delete(watched))
      .then(resolve, reject);
    return promise;
  }

  #check(): void {
    const expired = performance.now() - this.#timeoutMs;
    for (const watched of this.#runs) {
      if (watched.startedAt > expired) break;
      this.#runs.delete(watched);
      watched.fail();
    }
    if (this.#runs.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
