import type { StoredTrace, TraceStore } from './trace-store.ts';

/**
 * Reports each trace once it has been quiet for `quietMillis` (no new span
 * arrived), so a terminal shows whole traces rather than fragments. A trace
 * that grows after it was reported is reported again.
 */
export function watchSettledTraces(
  store: TraceStore,
  onSettled: (trace: StoredTrace) => void,
  { quietMillis = 1000, pollMillis = 250 }: { readonly quietMillis?: number; readonly pollMillis?: number } = {},
): () => void {
  const reported = new Map<string, number>();
  const timer = setInterval(() => {
    const now = performance.now();
    const traces = store.list();
    const present = new Set(traces.map((trace) => trace.traceId));
    for (const traceId of reported.keys()) if (!present.has(traceId)) reported.delete(traceId);
    for (const trace of traces.reverse()) {
      if (now - trace.updatedAt < quietMillis || reported.get(trace.traceId) === trace.spans.length) continue;
      reported.set(trace.traceId, trace.spans.length);
      onSettled(trace);
    }
  }, pollMillis);
  timer.unref();
  return () => clearInterval(timer);
}
