import { formatAttribute } from './otlp/values.ts';
import type { ViewerSpan } from './otlp/spans.ts';
import type { StoredTrace } from './trace-store.ts';

/** A span with its children, for drawing a trace as a tree. */
export interface SpanNode {
  readonly span: ViewerSpan;
  readonly children: readonly SpanNode[];
  /** Depth below the trace's root (0 for a root). */
  readonly depth: number;
}

/**
 * Arranges a trace's spans into trees. A span whose parent is not in the
 * trace (not exported yet, or in another service that exports elsewhere)
 * becomes a root of its own.
 */
export function buildTree(trace: StoredTrace): SpanNode[] {
  const ids = new Set(trace.spans.map((span) => span.spanId));
  const childrenOf = new Map<string | undefined, ViewerSpan[]>();
  for (const span of trace.spans) {
    const parent = span.parentSpanId !== undefined && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), span]);
  }
  const nodeOf = (span: ViewerSpan, depth: number): SpanNode => ({
    span,
    depth,
    children: (childrenOf.get(span.spanId) ?? []).map((child) => nodeOf(child, depth + 1)),
  });
  return (childrenOf.get(undefined) ?? []).map((root) => nodeOf(root, 0));
}

/** Depth-first order of a forest, as drawn top to bottom. */
export function flatten(nodes: readonly SpanNode[]): SpanNode[] {
  return nodes.flatMap((node) => [node, ...flatten(node.children)]);
}

/** Duration of a span in milliseconds. */
export function durationMillis(span: ViewerSpan): number {
  return Number(span.endNanos - span.startNanos) / 1e6;
}

/** The attributes worth a glance in a one-line summary. */
const HIGHLIGHTED = ['tenant.id', 'user.id', 'http.response.status_code', 'error.type', 'messaging.destination.name', 'db.collection.name'];

/** Renders a trace as indented text lines, one span a line, for a terminal. */
export function renderTraceText(trace: StoredTrace): string {
  const lines = flatten(buildTree(trace)).map(({ span, depth }) => {
    const details = HIGHLIGHTED.filter((key) => span.attributes[key] !== undefined)
      .map((key) => `${key}=${formatAttribute(span.attributes[key])}`)
      .join(' ');
    const status = span.status === 'error' ? ' ERROR' : '';
    return `${'  '.repeat(depth + 1)}${span.name} [${span.kind}, ${span.serviceName}] ${durationMillis(span).toFixed(1)} ms${status}${details ? ` ${details}` : ''}`;
  });
  return [`trace ${trace.traceId} (${trace.spans.length} spans)`, ...lines].join('\n');
}
