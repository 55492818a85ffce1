/**
 * Exemplars: the trace behind an observation. A histogram observation made
 * inside a sampled span carries `trace_id` and `span_id` (and `tenant_id`
 * when the context has a tenant: tenant ids are unbounded, so they belong in
 * exemplars, never in labels). Exemplars appear in the OpenMetrics format
 * only.
 */
import { trace, TraceFlags } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { tenantFromContext } from '../context/tenant-context.ts';

/**
 * OpenMetrics limits the label names and values of one exemplar to 128
 * UTF-8 characters in all. The Prometheus client measures UTF-16 code units,
 * which is never fewer than characters, so checking that bound satisfies
 * both.
 */
export const MAX_EXEMPLAR_LABEL_CHARS = 128;

/** Exemplar labels for an observation made in `context`, or undefined when its span is not sampled. */
export function exemplarLabelsFor(context: Context): Record<string, string> | undefined {
  const spanContext = trace.getSpanContext(context);
  if (!spanContext || (spanContext.traceFlags & TraceFlags.SAMPLED) === 0) return undefined;
  const labels: Record<string, string> = { trace_id: spanContext.traceId, span_id: spanContext.spanId };
  const tenant = tenantFromContext(context);
  if (tenant !== undefined) labels['tenant_id'] = tenant.tenantId;
  return labels;
}

/** Number of characters the exemplar's label names and values take, as OpenMetrics counts them. */
export function exemplarLength(labels: Record<string, string>): number {
  let length = 0;
  // for-in rather than Object.entries: this runs for every sampled observation, and entries() allocates.
  for (const name in labels) if (Object.hasOwn(labels, name)) length += name.length + labels[name]!.length;
  return length;
}
