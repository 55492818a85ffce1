/** `instrumentBreaker`: metrics and span events for opossum and cockatiel circuit breakers. */
import { UnsupportedInstrumentationTargetError } from '../errors.ts';
import { defaultMetricsRegistry } from '../metrics/default-registry.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';
import { breakerRecorder } from './breaker-recorder.ts';
import { cockatielState, isCockatielBreaker, observeCockatiel } from './cockatiel-breaker.ts';
import type { CockatielBreakerLike } from './cockatiel-breaker.ts';
import { instrumentationHandle } from './instrumentation-handle.ts';
import type { InstrumentationHandle } from './instrumentation-handle.ts';
import { validateInstrumentationName } from './instrumentation-name.ts';
import { isOpossumBreaker, observeOpossum, opossumState } from './opossum-breaker.ts';
import type { OpossumBreakerLike } from './opossum-breaker.ts';

/** Options of {@link instrumentBreaker}. */
export interface InstrumentBreakerOptions {
  /** The `breaker` label: a short fixed name for the protected dependency, e.g. `payments`. */
  readonly name: string;
  /**
   * Where the metrics go. Default: the process's default registry, which
   * telemetry serves and pushes (`defaultMetricsRegistry()`).
   */
  readonly registry?: MetricsRegistry | undefined;
}

/** A breaker {@link instrumentBreaker} accepts: an opossum `CircuitBreaker` or a cockatiel `CircuitBreakerPolicy`. */
export type InstrumentableBreaker = OpossumBreakerLike | CockatielBreakerLike;

/**
 * Records a circuit breaker's state, transitions and calls:
 *
 * - `sightline_circuit_breaker_state{breaker,state}`: a state set, exactly one
 *   of `closed`, `open`, `half_open` is 1, from this call on;
 * - `sightline_circuit_breaker_transitions_total{breaker,from,to}`;
 * - `sightline_circuit_breaker_calls_total{breaker,result}`: `success`,
 *   `failure`, `rejected` (refused while open), and for opossum `timeout`
 *   and `fallback` (counted besides the result that led to the fallback);
 * - a `circuit_breaker.transition` event on the active span at each
 *   transition, and `error.type` on the active span of a refused call.
 *
 * The library is recognised by shape; neither is a dependency of Sightline.
 * Throws {@link UnsupportedInstrumentationTargetError} for anything else.
 * The returned handle removes every listener this added.
 */
export function instrumentBreaker(breaker: InstrumentableBreaker, options: InstrumentBreakerOptions): InstrumentationHandle {
  const name = validateInstrumentationName('name', options.name);
  const registry = options.registry ?? defaultMetricsRegistry();
  if (isOpossumBreaker(breaker)) {
    const recorder = breakerRecorder(name, registry, opossumState(breaker));
    const cleanups: (() => void)[] = [];
    const handle = instrumentationHandle(cleanups);
    cleanups.push(observeOpossum(breaker, recorder, () => handle.dispose()), () => recorder.remove());
    return handle;
  }
  if (isCockatielBreaker(breaker)) {
    const recorder = breakerRecorder(name, registry, cockatielState(breaker.state));
    return instrumentationHandle([observeCockatiel(breaker, recorder), () => recorder.remove()]);
  }
  throw new UnsupportedInstrumentationTargetError(
    'circuit breaker',
    "opossum's CircuitBreaker, cockatiel's CircuitBreakerPolicy",
  );
}
