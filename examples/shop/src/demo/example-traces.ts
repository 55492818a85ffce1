/**
 * Picks the traces worth showing from the viewer's store: a successful
 * order (server span, `orders.place`, the publish and its consumers), a
 * failed payment, and a dead-lettered event.
 */
import { DEAD_LETTER_SPAN_EVENT } from 'sightline/events';
import type { StoredTrace, ViewerSpan } from 'sightline-cli';

export interface ExampleTraces {
  readonly successfulOrder: StoredTrace | undefined;
  readonly failedPayment: StoredTrace | undefined;
  readonly deadLetter: StoredTrace | undefined;
}

const isOrderRequest = (span: ViewerSpan): boolean => span.kind === 'server' && span.name === 'POST /orders';
const statusOf = (span: ViewerSpan): number => Number(span.attributes['http.response.status_code'] ?? 0);
const processRuns = (trace: StoredTrace): ViewerSpan[] => trace.spans.filter((span) => span.name === 'process order.created');

/** The first trace (most recently updated first) passing `test`, preferring the most complete one. */
function best(traces: readonly StoredTrace[], test: (trace: StoredTrace) => boolean, score: (trace: StoredTrace) => number): StoredTrace | undefined {
  let chosen: StoredTrace | undefined;
  for (const trace of traces) {
    if (test(trace) && (chosen === undefined || score(trace) > score(chosen))) chosen = trace;
  }
  return chosen;
}

export function pickExampleTraces(traces: readonly StoredTrace[]): ExampleTraces {
  return {
    successfulOrder: best(
      traces,
      (trace) => trace.spans.some((span) => isOrderRequest(span) && statusOf(span) === 201) && processRuns(trace).length > 0,
      (trace) => new Set(processRuns(trace).filter((span) => span.status !== 'error').map((span) => span.attributes['messaging.consumer.group.name'])).size * 100 - trace.spans.length,
    ),
    failedPayment: best(
      traces,
      (trace) => trace.spans.some((span) => isOrderRequest(span) && (statusOf(span) === 502 || statusOf(span) === 503)),
      (trace) => (trace.spans.some((span) => isOrderRequest(span) && statusOf(span) === 502) ? 1 : 0),
    ),
    deadLetter: best(
      traces,
      (trace) => trace.spans.some((span) => span.events.some((event) => event.name === DEAD_LETTER_SPAN_EVENT)),
      (trace) => processRuns(trace).length,
    ),
  };
}
