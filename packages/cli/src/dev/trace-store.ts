import type { ViewerSpan } from './otlp/spans.ts';

/** A trace as the viewer shows it: its spans, ordered by start time. */
export interface StoredTrace {
  readonly traceId: string;
  readonly spans: readonly ViewerSpan[];
  /** `performance.now()` when the last span of this trace arrived. */
  readonly updatedAt: number;
}

/** Limits that keep the viewer's memory bounded. */
export interface TraceStoreLimits {
  /** Traces kept; the least recently updated is dropped first. Default 500. */
  readonly maxTraces?: number;
  /** Spans kept per trace; later ones are counted and dropped. Default 2000. */
  readonly maxSpansPerTrace?: number;
}

/** Holds the most recent traces in memory, bounded by {@link TraceStoreLimits}. */
export class TraceStore {
  readonly #traces = new Map<string, { spans: ViewerSpan[]; updatedAt: number; sorted: boolean }>();
  readonly #maxTraces: number;
  readonly #maxSpansPerTrace: number;
  #droppedSpans = 0;

  constructor(limits: TraceStoreLimits = {}) {
    this.#maxTraces = limits.maxTraces ?? 500;
    this.#maxSpansPerTrace = limits.maxSpansPerTrace ?? 2000;
  }

  /** Adds spans, grouping them by trace. */
  add(spans: readonly ViewerSpan[]): void {
    const now = performance.now();
    for (const span of spans) {
      const trace = this.#traces.get(span.traceId) ?? { spans: [], updatedAt: now, sorted: true };
      this.#traces.delete(span.traceId);
      this.#traces.set(span.traceId, trace);
      trace.updatedAt = now;
      if (trace.spans.length >= this.#maxSpansPerTrace) {
        this.#droppedSpans += 1;
        continue;
      }
      trace.spans.push(span);
      trace.sorted = false;
    }
    for (const traceId of this.#traces.keys()) {
      if (this.#traces.size <= this.#maxTraces) break;
      this.#traces.delete(traceId);
    }
  }

  /** The traces, most recently updated first. */
  list(): StoredTrace[] {
    return [...this.#traces.entries()].reverse().map(([traceId, trace]) => this.#snapshot(traceId, trace));
  }

  get(traceId: string): StoredTrace | undefined {
    const trace = this.#traces.get(traceId);
    return trace && this.#snapshot(traceId, trace);
  }

  /** Spans refused because their trace was full. */
  get droppedSpans(): number {
    return this.#droppedSpans;
  }

  #snapshot(traceId: string, trace: { spans: ViewerSpan[]; updatedAt: number; sorted: boolean }): StoredTrace {
    if (!trace.sorted) {
      trace.spans.sort((a, b) => (a.startNanos < b.startNanos ? -1 : a.startNanos > b.startNanos ? 1 : 0));
      trace.sorted = true;
    }
    return { traceId, spans: [...trace.spans], updatedAt: trace.updatedAt };
  }
}
