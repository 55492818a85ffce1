/**
 * The W3C Trace Context `traceparent` value carried in the CloudEvents
 * distributed-tracing extension. Parsed here, not through the global
 * propagator, so an envelope's trace survives even when no propagator is
 * registered, and a malformed value is reported with its reason.
 */
import { createTraceState, isSpanContextValid, TraceFlags } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { describeValue } from '../diagnostics/bounded-text.ts';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** Formats `spanContext` as a version-00 `traceparent`. */
export function formatTraceparent(spanContext: SpanContext): string {
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/** The outcome of {@link parseTraceparent}. */
export type TraceparentResult =
  | { readonly ok: true; readonly spanContext: SpanContext }
  | { readonly ok: false; readonly detail: string };

/**
 * Parses a `traceparent` (and optional `tracestate`) into a remote span
 * context. Follows the W3C rules: lower-case hex, version `ff` invalid,
 * version `00` with exactly four fields, all-zero trace or span id invalid.
 */
export function parseTraceparent(traceparent: string, tracestate?: string): TraceparentResult {
  const match = TRACEPARENT.exec(traceparent.trim());
  if (match === null) {
    return { ok: false, detail: `traceparent ${describeValue(traceparent)} is not version-traceid-spanid-flags in lower-case hex` };
  }
  const [, version, traceId, spanId, flags, rest] = match as unknown as [string, string, string, string, string, string?];
  if (version === 'ff') return { ok: false, detail: 'traceparent version ff is invalid' };
  if (version === '00' && rest !== undefined) return { ok: false, detail: 'traceparent version 00 has exactly four fields' };
  const spanContext: SpanContext = {
    traceId,
    spanId,
    traceFlags: Number.parseInt(flags, 16) & TraceFlags.SAMPLED,
    isRemote: true,
    ...(tracestate === undefined || tracestate === '' ? {} : { traceState: createTraceState(tracestate) }),
  };
  if (!isSpanContextValid(spanContext)) return { ok: false, detail: 'traceparent has an all-zero trace id or span id' };
  return { ok: true, spanContext };
}
