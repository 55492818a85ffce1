import type { StoredTrace, TraceStore } from './trace-store.ts';

/** What {@link watchSettledTraces} reports. */
export interface SettledTraceListener {
  /** A trace that has been quiet for `quietMillis`; called once per trace. */
  onSettled(trace: StoredTrace): void;
  /** Spans of an already reported trace that arrived later (a slower service, a retry). */
  onLate?(trace: StoredTrace, lateSpans: number): void;
}

/**
 * Reports each trace once it has been quiet for `quietMillis` (default
 * 400 ms: no new span arrived), so a terminal shows whole traces rather than
 * fragments, within about half a second of the last span. A trace is
 * reported once; spans that arrive after that are reported as a count.
 */
export function watchSettledTraces(
  store: TraceStore,
  listener: SettledTraceListener,
  { quietMillis = 400, pollMillis = 100 }: { readonly quietMillis?: number; readonly pollMillis?: number } = {},
): () => void {
  const reported = new Map<string, number>();
  const timer = setInterval(() => {
    const now = performance.now();
    const traces = store.list();
    const present = new Set(traces.map((trace) => trace.traceId));
    for (const traceId of reported.keys()) if (!present.has(traceId)) reported.delete(traceId);
    for (const trace of traces.reverse()) {
      const seen = reported.get(trace.traceId);
      if (now - trace.updatedAt < quietMillis || seen === trace.spans.length) continue;
      reported.set(trace.traceId, trace.spans.length);
      if (seen === undefined) listener.onSettled(trace);
      else listener.onLate?.(trace, trace.spans.length - seen);
    }
  }, pollMillis);
  timer.unref();
  return () => clearInterval(timer);
}
