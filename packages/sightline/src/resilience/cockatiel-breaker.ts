/** Observing a cockatiel `CircuitBreakerPolicy` through its events. */
import type { BreakerRecorder, BreakerState } from './breaker-recorder.ts';

interface Disposable {
  dispose(): void;
}
type CockatielEvent<T> = (listener: (value: T) => void) => Disposable;

/** The part of cockatiel's `CircuitBreakerPolicy` this module relies on. */
export interface CockatielBreakerLike {
  /** `CircuitState`: 0 closed, 1 open, 2 half-open, 3 isolated. */
  readonly state: number;
  readonly onStateChange: CockatielEvent<number>;
  readonly onSuccess: CockatielEvent<unknown>;
  readonly onFailure: CockatielEvent<unknown>;
  execute(...args: never[]): Promise<unknown>;
}

/** True when `value` has the shape of a cockatiel circuit breaker policy. */
export function isCockatielBreaker(value: unknown): value is CockatielBreakerLike {
  const candidate = value as Partial<Record<keyof CockatielBreakerLike | 'onBreak' | 'isolate', unknown>> | null;
  return (
    typeof value === 'object' &&
    candidate !== null &&
    typeof candidate.execute === 'function' &&
    typeof candidate.onStateChange === 'function' &&
    typeof candidate.onSuccess === 'function' &&
    typeof candidate.onFailure === 'function' &&
    typeof candidate.isolate === 'function' &&
    typeof candidate.state === 'number'
  );
}

/** Maps cockatiel's `CircuitState`; an isolated (manually held open) breaker is open. */
export function cockatielState(state: number): BreakerState {
  if (state === 0) return 'closed';
  return state === 2 ? 'half_open' : 'open';
}

/** cockatiel throws `BrokenCircuitError` (or its subclass `IsolatedCircuitError`) for a refused call. */
function isBrokenCircuitError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { isBrokenCircuitError?: unknown }).isBrokenCircuitError === true;
}

/**
 * Subscribes to the policy's events and feeds `recorder`; returns a function
 * undoing it.
 *
 * cockatiel has no event for a refused call, so `execute` is wrapped on this
 * one instance (its prototype is untouched) to see `BrokenCircuitError`s; the
 * wrapper is removed again when disposed, or, if something wrapped `execute`
 * after us, turns into a pass-through. cockatiel has no timeout or fallback
 * inside the breaker (those are separate policies), so those results never
 * occur; a `TimeoutPolicy` inside the breaker shows up as a failure.
 */
export function observeCockatiel(breaker: CockatielBreakerLike, recorder: BreakerRecorder): () => void {
  const subscriptions = [
    breaker.onStateChange((state) => recorder.transition(cockatielState(state))),
    breaker.onSuccess(() => recorder.call('success')),
    breaker.onFailure(() => recorder.call('failure')),
  ];
  let active = true;
  const target = breaker as unknown as { execute: (...args: unknown[]) => Promise<unknown> };
  const hadOwnExecute = Object.hasOwn(target, 'execute');
  const original = target.execute;
  const wrapped = function (this: unknown, ...args: unknown[]): Promise<unknown> {
    return original.apply(this, args).catch((error: unknown) => {
      if (active && isBrokenCircuitError(error)) recorder.rejected(error);
      throw error;
    });
  };
  target.execute = wrapped;
  return () => {
    active = false;
    for (const subscription of subscriptions) subscription.dispose();
    if (target.execute !== wrapped) return;
    if (hadOwnExecute) target.execute = original;
    else delete (target as { execute?: unknown }).execute;
  };
}
