/**
 * Jaeger propagation: the `uber-trace-id` header
 * (`{trace-id}:{span-id}:{parent-span-id}:{flags}`, hex) and one
 * `uberctx-{key}` header per baggage entry, for services in an estate that
 * still speaks Jaeger's format. OpenTelemetry JS 3.x no longer ships
 * `@opentelemetry/propagator-jaeger` (the format is deprecated by the
 * OpenTelemetry specification) and its last release (2.12) accepts only
 * `@opentelemetry/api` below 1.10, so the format lives here; baggage goes
 * through the same allow-list as W3C baggage (see {@link restrictBaggage}).
 */
import { isSpanContextValid, propagation, trace, TraceFlags } from '@opentelemetry/api';
import type { Context, SpanContext, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';

const TRACE_HEADER = 'uber-trace-id';
const BAGGAGE_PREFIX = 'uberctx-';
/** `{trace-id}:{span-id}:{parent-span-id}:{flags}`; shorter ids are zero-padded on the left. */
const TRACE_ID = /^([0-9a-f]{1,32}):([0-9a-f]{1,16}):([0-9a-f]{1,16}):([0-9a-f]{1,2})$/i;
/** Jaeger's debug flag; OpenTelemetry has no such flag, so it means "sampled". */
const DEBUG_FLAG = 0x02;

/** Creates the Jaeger propagator (trace context and `uberctx-` baggage). */
export function createJaegerPropagator(): TextMapPropagator {
  return {
    inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
      const spanContext = trace.getSpanContext(ctx);
      if (spanContext !== undefined && isSpanContextValid(spanContext)) {
        const flags = (spanContext.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, '0');
        setter.set(carrier, TRACE_HEADER, `${spanContext.traceId}:${spanContext.spanId}:0:${flags}`);
      }
      for (const [key, entry] of propagation.getBaggage(ctx)?.getAllEntries() ?? []) {
        setter.set(carrier, `${BAGGAGE_PREFIX}${key}`, encodeURIComponent(entry.value));
      }
    },

    extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
      let extracted = ctx;
      const spanContext = parseTraceHeader(first(getter.get(carrier, TRACE_HEADER)));
      if (spanContext !== undefined) extracted = trace.setSpanContext(extracted, spanContext);
      const entries: [string, { value: string }][] = [];
      for (const name of getter.keys(carrier)) {
        if (!name.toLowerCase().startsWith(BAGGAGE_PREFIX)) continue;
        const value = decode(first(getter.get(carrier, name)));
        if (value !== undefined) entries.push([name.slice(BAGGAGE_PREFIX.length).toLowerCase(), { value }]);
      }
      if (entries.length > 0) extracted = propagation.setBaggage(extracted, propagation.createBaggage(Object.fromEntries(entries)));
      return extracted;
    },

    fields(): string[] {
      // `uberctx-*` headers are named after their keys, so only the trace header is a fixed field.
      return [TRACE_HEADER];
    },
  };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function decode(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function parseTraceHeader(header: string | undefined): SpanContext | undefined {
  const match = TRACE_ID.exec(decode(header) ?? '');
  if (match === null) return undefined;
  const [, traceId = '', spanId = '', , flags = ''] = match;
  const bits = Number.parseInt(flags, 16);
  const spanContext: SpanContext = {
    traceId: traceId.toLowerCase().padStart(32, '0'),
    spanId: spanId.toLowerCase().padStart(16, '0'),
    traceFlags: (bits & (TraceFlags.SAMPLED | DEBUG_FLAG)) !== 0 ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  };
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}
