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

/** One propagator for `names` (none propagates nothing), baggage restricted as `baggage` says. */
export function createPropagator(names: readonly PropagatorName[], baggage: BaggagePropagatorOptions): TextMapPropagator {
  return new CompositePropagator({ propagators: names.map((name) => FORMATS[name](baggage)) });
}
