import { formatAttribute } from './otlp/values.ts';
import type { StoredTrace } from './trace-store.ts';
import { buildTree } from './trace-tree.ts';

/** One row of the trace list. */
export interface TraceSummary {
  readonly traceId: string;
  /** The root span's name (the earliest span's when the root has not arrived). */
  readonly rootName: string;
  readonly service: string;
  /** Every service with a span in the trace. */
  readonly services: readonly string[];
  readonly tenant: string | undefined;
  /** Milliseconds since the epoch. */
  readonly startMs: number;
  readonly durationMs: number;
  readonly spanCount: number;
  readonly errorCount: number;
  readonly status: 'ok' | 'error';
}

/** What the trace list filters on; every field optional. */
export interface TraceQuery {
  readonly service?: string;
  /** Matches a span name in the trace (substring, case-insensitive). */
  readonly operation?: string;
  readonly tenant?: string;
  readonly status?: 'ok' | 'error';
  readonly minDurationMs?: number;
  readonly limit?: number;
}

/** The list row of a trace. */
export function summarize(trace: StoredTrace): TraceSummary {
  const root = buildTree(trace)[0]?.span ?? trace.spans[0];
  let start = trace.spans[0]?.startNanos ?? 0n;
  let end = start;
  for (const span of trace.spans) {
    if (span.startNanos < start) start = span.startNanos;
    if (span.endNanos > end) end = span.endNanos;
  }
  const tenant = trace.spans.find((span) => span.attributes['tenant.id'] !== undefined)?.attributes['tenant.id'];
  const errorCount = trace.spans.filter((span) => span.status === 'error').length;
  return {
    traceId: trace.traceId,
    rootName: root?.name ?? '',
    service: root?.serviceName ?? '',
    services: [...new Set(trace.spans.map((span) => span.serviceName))],
    tenant: tenant === undefined ? undefined : formatAttribute(tenant),
    startMs: Number(start / 1_000_000n),
    durationMs: Number(end - start) / 1e6,
    spanCount: trace.spans.length,
    errorCount,
    status: errorCount > 0 ? 'error' : 'ok',
  };
}

/** The traces that match `query`, most recently updated first. */
export function queryTraces(traces: readonly StoredTrace[], query: TraceQuery): TraceSummary[] {
  const operation = query.operation?.toLowerCase();
  const matches: TraceSummary[] = [];
  for (const trace of traces) {
    if (matches.length >= (query.limit ?? 100)) break;
    if (operation !== undefined && !trace.spans.some((span) => span.name.toLowerCase().includes(operation))) continue;
    const summary = summarize(trace);
    if (query.service !== undefined && !summary.services.includes(query.service)) continue;
    if (query.tenant !== undefined && summary.tenant !== query.tenant) continue;
    if (query.status !== undefined && summary.status !== query.status) continue;
    if (query.minDurationMs !== undefined && summary.durationMs < query.minDurationMs) continue;
    matches.push(summary);
  }
  return matches;
}
