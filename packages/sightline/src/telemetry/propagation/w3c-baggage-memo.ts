/**
 * OpenTelemetry's W3C baggage propagator, remembering its last header each
 * way. What it writes depends only on the context's baggage (and whether
 * tracing is suppressed), and what it reads only on the `baggage` header;
 * baggage is immutable. So the header written for the baggage object
 * injected last time is written again without serializing, and the baggage
 * read from the header extracted last time is set again without parsing:
 * a service sends and receives the same tenant baggage for long runs of
 * requests and events.
 */
import { propagation } from '@opentelemetry/api';
import type { Baggage, Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { isTracingSuppressed, W3CBaggagePropagator } from '@opentelemetry/core';

const BAGGAGE_HEADER = 'baggage';

/** Creates the W3C baggage propagator with its one-entry memory each way. */
export function createMemoizedW3CBaggagePropagator(): TextMapPropagator {
  const inner = new W3CBaggagePropagator();
  let injected: Baggage | undefined;
  let injectedHeader: string | undefined;
  let extractedHeader: string | undefined;
  let extracted: Baggage | undefined;

  return {
    inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
      const baggage = propagation.getBaggage(ctx);
      if (baggage === undefined || isTracingSuppressed(ctx)) return;
      if (baggage !== injected) {
        let header: string | undefined;
        inner.inject(ctx, {}, { set: (_carrier, key, value) => (header = key === BAGGAGE_HEADER ? value : header) });
        injected = baggage;
        injectedHeader = header;
      }
      if (injectedHeader !== undefined) setter.set(carrier, BAGGAGE_HEADER, injectedHeader);
    },

    extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
      const header = getter.get(carrier, BAGGAGE_HEADER);
      if (typeof header === 'string' && header === extractedHeader && extracted !== undefined) return propagation.setBaggage(ctx, extracted);
      const result = inner.extract(ctx, carrier, getter);
      const baggage = result === ctx ? undefined : propagation.getBaggage(result);
      if (typeof header === 'string' && baggage !== undefined) {
        extractedHeader = header;
        extracted = baggage;
      }
      return result;
    },

    fields(): string[] {
      return inner.fields();
    },
  };
}
