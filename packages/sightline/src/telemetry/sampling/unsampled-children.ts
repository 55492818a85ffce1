/**
 * Children of a span that is not sampled, for nothing, under a sampler that
 * drops every child of a local parent that was not sampled (a parent-based
 * one, or `always_off`). Yet the SDK's tracer still pays for each child:
 * two random ids, attribute cleaning, the sampler call and its own span
 * counters, then a new non-recording span. Instrumentations start many children per request
 * (Express starts one per middleware layer), so an unsampled request paid
 * for spans nobody would see.
 *
 * The tracers given here hand such a child its parent back: a span that
 * records nothing, whose context is the parent's (same trace, not sampled),
 * so what is propagated downstream still says "not sampled". Every other
 * span (roots, remote parents, sampled or recording parents, suppressed
 * tracing) is started by the SDK's tracer as before.
 */
import { context as otelContext, isSpanContextValid, trace, TraceFlags } from '@opentelemetry/api';
import type { Context, Span, SpanOptions, Tracer, TracerOptions, TracerProvider } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';

/** The parent to hand back as the child span, when the child would be dropped. */
function unsampledLocalParent(options: SpanOptions | undefined, ctx: Context): Span | undefined {
  if (options?.root === true) return undefined;
  const parent = trace.getSpan(ctx);
  if (parent === undefined || parent.isRecording()) return undefined;
  const parentContext = parent.spanContext();
  if (parentContext.isRemote === true || (parentContext.traceFlags & TraceFlags.SAMPLED) !== 0) return undefined;
  if (!isSpanContextValid(parentContext) || isTracingSuppressed(ctx)) return undefined;
  return parent;
}

class UnsampledChildrenTracer implements Tracer {
  readonly #tracer: Tracer;

  constructor(tracer: Tracer) {
    this.#tracer = tracer;
  }

  startSpan(name: string, options?: SpanOptions, ctx: Context = otelContext.active()): Span {
    return unsampledLocalParent(options, ctx) ?? this.#tracer.startSpan(name, options, ctx);
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, ctx: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...rest: [F] | [SpanOptions, F] | [SpanOptions, Context, F]): ReturnType<F> {
    const fn = rest[rest.length - 1] as (span: Span) => ReturnType<F>;
    const options = rest.length > 1 ? (rest[0] as SpanOptions) : undefined;
    const ctx = rest.length > 2 ? (rest[1] as Context) : otelContext.active();
    const parent = unsampledLocalParent(options, ctx);
    if (parent !== undefined) return otelContext.with(ctx, fn, undefined, parent);
    const span = this.#tracer.startSpan(name, options, ctx);
    return otelContext.with(trace.setSpan(ctx, span), fn, undefined, span);
  }
}

/**
 * `provider`, with tracers that give the children of an unsampled local
 * span that span itself (see the module comment). Only for a parent-based
 * sampler: any other decides each span afresh.
 */
export class UnsampledChildrenTracerProvider implements TracerProvider {
  readonly #provider: TracerProvider;
  readonly #tracers = new Map<string, Tracer>();

  constructor(provider: TracerProvider) {
    this.#provider = provider;
  }

  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    const key = `${name}@${version ?? ''}:${options?.schemaUrl ?? ''}`;
    let tracer = this.#tracers.get(key);
    if (tracer === undefined) {
      tracer = new UnsampledChildrenTracer(this.#provider.getTracer(name, version, options));
      this.#tracers.set(key, tracer);
    }
    return tracer;
  }
}
