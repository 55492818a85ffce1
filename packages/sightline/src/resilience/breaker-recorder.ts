/** Turns what a circuit breaker reports into the catalogue's breaker metrics and span events. */
import { trace } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { catalogue } from '../metrics/catalogue.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';
import { errorType } from '../tracing/record-error.ts';

/** The states of `sightline_circuit_breaker_state`. */
export type BreakerState = 'closed' | 'open' | 'half_open';

/** The `result` label of `sightline_circuit_breaker_calls_total`. */
export type BreakerCallResult = 'success' | 'failure' | 'rejected' | 'timeout' | 'fallback';

const STATES: readonly BreakerState[] = ['closed', 'open', 'half_open'];

/** Name of the span event added to the active span when a breaker changes state. */
export const BREAKER_TRANSITION_EVENT = 'circuit_breaker.transition';
/** Attributes of {@link BREAKER_TRANSITION_EVENT}. */
export const ATTR_BREAKER_NAME = 'sightline.circuit_breaker.name';
export const ATTR_BREAKER_FROM = 'sightline.circuit_breaker.from';
export const ATTR_BREAKER_TO = 'sightline.circuit_breaker.to';

/** What a library adapter calls when its breaker reports something. */
export interface BreakerRecorder {
  /** The breaker is now in `to` (ignored when it already was). */
  transition(to: BreakerState): void;
  /** One call finished with `result`. */
  call(result: BreakerCallResult): void;
  /** A call was refused because the breaker is open; `error` is what the library threw. */
  rejected(error: unknown): void;
  /** Removes the state series (the counters stay: they are monotonic). */
  remove(): void;
}

/** Starts recording breaker `name`, whose current state is `initial`. */
export function breakerRecorder(name: string, registry: MetricsRegistry, initial: BreakerState): BreakerRecorder {
  const state = registry.gauge(catalogue.circuitBreakerState);
  const transitions = registry.counter(catalogue.circuitBreakerTransitions);
  const calls = registry.counter(catalogue.circuitBreakerCalls);
  let current = initial;
  const publish = (): void => {
    for (const candidate of STATES) state.set({ breaker: name, state: candidate }, candidate === current ? 1 : 0);
  };
  publish();
  return {
    transition(to) {
      if (to === current) return;
      const from = current;
      current = to;
      publish();
      transitions.inc({ breaker: name, from, to });
      const span = trace.getActiveSpan();
      if (span?.isRecording()) {
        span.addEvent(BREAKER_TRANSITION_EVENT, { [ATTR_BREAKER_NAME]: name, [ATTR_BREAKER_FROM]: from, [ATTR_BREAKER_TO]: to });
      }
    },
    call(result) {
      calls.inc({ breaker: name, result });
    },
    rejected(error) {
      calls.inc({ breaker: name, result: 'rejected' });
      const span = trace.getActiveSpan();
      if (span?.isRecording()) span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
    },
    remove() {
      for (const candidate of STATES) state.remove({ breaker: name, state: candidate });
    },
  };
}
