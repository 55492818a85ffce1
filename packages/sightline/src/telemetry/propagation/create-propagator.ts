/**
 * The global propagator for the configured formats (`OTEL_PROPAGATORS`), in
 * order: each injects its headers; on extract each reads its own and the
 * last one that finds a trace context wins. Every format that carries
 * baggage passes the baggage allow-list.
 */
import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import type { PropagatorName } from '../config/types.ts';
import { createBaggagePropagator, restrictBaggage } from './baggage-propagator.ts';
import type { BaggagePropagatorOptions } from './baggage-propagator.ts';
import { createJaegerPropagator } from './jaeger-propagator.ts';
import { createTraceContextPropagator } from './trace-context-propagator.ts';

const FORMATS: { readonly [K in PropagatorName]: (baggage: BaggagePropagatorOptions) => TextMapPropagator } = {
  tracecontext: () => createTraceContextPropagator(),
  baggage: (baggage) => createBaggagePropagator(baggage),
  b3: () => new B3Propagator({ injectEncoding: B3InjectEncoding.SINGLE_HEADER }),
  b3multi: () => new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }),
  jaeger: (baggage) => restrictBaggage(createJaegerPropagator(), baggage),
};

/**
 * The headers that start each format's extraction: without one of them its
 * extract finds nothing. Jaeger's baggage travels in `uberctx-*` headers of
 * any name, so it has no such list.
 */
const CONTEXT_HEADERS: { readonly [K in PropagatorName]: readonly string[] | undefined } = {
  tracecontext: ['traceparent'],
  baggage: ['baggage'],
  b3: ['b3', 'x-b3-traceid'],
  b3multi: ['b3', 'x-b3-traceid'],
  jaeger: undefined,
};

/**
 * The (lower-case) headers without which the propagator for `names` extracts
 * nothing, so that a request carrying none of them can skip extraction; or
 * `undefined` when any header may carry context.
 */
export function contextHeaders(names: readonly PropagatorName[]): readonly string[] | undefined {
  const headers = new Set<string>();
  for (const name of names) {
    const own = CONTEXT_HEADERS[name];
    if (own === undefined) return undefined;
    for (const header of own) headers.add(header);
  }
  return [...headers];
}

/** One propagator for `names` (none propagates nothing), baggage restricted as `baggage` says. */
export function createPropagator(names: readonly PropagatorName[], baggage: BaggagePropagatorOptions): TextMapPropagator {
  return new CompositePropagator({ propagators: names.map((name) => FORMATS[name](baggage)) });
}
