/**
 * W3C Trace Context (`traceparent`, `tracestate`) at level 2 of the
 * specification: OpenTelemetry's propagator reads and writes `traceparent`,
 * and the `tracestate` it extracted is replaced by one parsed all or nothing
 * (see {@link parseTraceState}): a header that violates the specification is
 * dropped whole, keeping the parent.
 */
import { trace } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { parseTraceState } from './trace-state.ts';

const TRACE_STATE_HEADER = 'tracestate';

/** Creates the level 2 trace-context propagator. */
export function createTraceContextPropagator(): TextMapPropagator {
  const w3c = new W3CTraceContextPropagator();
  return {
    inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
      w3c.inject(ctx, carrier, setter);
    },

    extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
      const extracted = w3c.extract(ctx, carrier, getter);
      const header = extracted === ctx ? undefined : getter.get(carrier, TRACE_STATE_HEADER);
      const spanContext = trace.getSpanContext(extracted);
      if (header === undefined || header === '' || spanContext === undefined) return extracted;
      const parent = { ...spanContext };
      delete parent.traceState;
      const traceState = parseTraceState(Array.isArray(header) ? header.join(',') : header);
      return trace.setSpanContext(ctx, traceState === undefined ? parent : { ...parent, traceState });
    },

    fields(): string[] {
      return w3c.fields();
    },
  };
}
