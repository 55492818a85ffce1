/** Observing an opossum `CircuitBreaker` through its events. */
import type { BreakerRecorder, BreakerState } from './breaker-recorder.ts';

type Listener = (...args: unknown[]) => void;

/** The part of opossum's `CircuitBreaker` this module relies on. */
export interface OpossumBreakerLike {
  readonly opened: boolean;
  readonly halfOpen: boolean;
  readonly closed: boolean;
  fire(...args: never[]): unknown;
  on(event: string, listener: Listener): unknown;
  removeListener(event: string, listener: Listener): unknown;
}

/** True when `value` has the shape of an opossum breaker. */
export function isOpossumBreaker(value: unknown): value is OpossumBreakerLike {
  const candidate = value as Partial<Record<keyof OpossumBreakerLike, unknown>> | null;
  return (
    typeof value === 'object' &&
    candidate !== null &&
    typeof candidate.fire === 'function' &&
    typeof candidate.on === 'function' &&
    typeof candidate.removeListener === 'function' &&
    typeof candidate.opened === 'boolean' &&
    typeof candidate.halfOpen === 'boolean'
  );
}

/** The breaker's state now (opossum's `shutdown` state counts as open: it refuses every call). */
export function opossumState(breaker: OpossumBreakerLike): BreakerState {
  if (breaker.halfOpen) return 'half_open';
  return breaker.closed ? 'closed' : 'open';
}

/**
 * Adds listeners that feed `recorder`; returns a function removing them.
 *
 * opossum reports a timed-out call twice ('timeout', then 'failure' with the
 * timeout error), synchronously one after the other; the 'failure' (or
 * 'success', when an `errorFilter` accepts the timeout) that follows a
 * 'timeout' is not counted again, so each call has one result. 'fallback'
 * is counted in addition to the result that caused it.
 */
export function observeOpossum(breaker: OpossumBreakerLike, recorder: BreakerRecorder, onShutdown: () => void): () => void {
  let timeoutPending = false;
  const outcome =
    (result: 'success' | 'failure'): Listener =>
    () => {
      if (timeoutPending) timeoutPending = false;
      else recorder.call(result);
    };
  const listeners: Record<string, Listener> = {
    open: () => recorder.transition('open'),
    halfOpen: () => recorder.transition('half_open'),
    close: () => recorder.transition('closed'),
    success: outcome('success'),
    failure: outcome('failure'),
    timeout: () => {
      timeoutPending = true;
      recorder.call('timeout');
    },
    reject: (error) => recorder.rejected(error),
    fallback: () => recorder.call('fallback'),
    // shutdown() removes every listener of the breaker, ours included.
    shutdown: onShutdown,
  };
  for (const [event, listener] of Object.entries(listeners)) breaker.on(event, listener);
  return () => {
    for (const [event, listener] of Object.entries(listeners)) breaker.removeListener(event, listener);
  };
}
