/** Running a function inside a span that is ended exactly once and records failures. */
import { context, trace } from '@opentelemetry/api';
import type { Attributes, Context, Link, Span, SpanKind, SpanOptions, Tracer } from '@opentelemetry/api';
import { recordError } from './record-error.ts';
import type { ErrorTextRedactor } from './record-error.ts';
import { settle } from './span-result.ts';
import type { SpanResult } from './span-result.ts';
import { sightlineTracer } from './tracer.ts';

/** Options of {@link withSpan}. */
export interface WithSpanOptions {
  /** Span kind; default INTERNAL. */
  readonly kind?: SpanKind;
  /** Attributes set when the span starts (visible to samplers). */
  readonly attributes?: Attributes;
  /** Links to other spans, e.g. the producers of a batch of messages. */
  readonly links?: readonly Link[];
  /** Start a new trace, ignoring any parent. */
  readonly root?: boolean;
  /** The context to start the span in (its span becomes the parent, its baggage is kept); default the active context. */
  readonly parentContext?: Context;
  /** Tracer to use instead of Sightline's own (`sightline`, this package's version). */
  readonly tracer?: Tracer;
}

function spanOptions(options: WithSpanOptions): SpanOptions {
  return {
    ...(options.kind !== undefined && { kind: options.kind }),
    ...(options.attributes !== undefined && { attributes: options.attributes }),
    ...(options.links !== undefined && { links: [...options.links] }),
    ...(options.root !== undefined && { root: options.root }),
  };
}

/**
 * Runs `fn` in a new active span named `name` and returns what `fn` returns
 * (a sync value stays sync; a promise or thenable becomes a promise of the
 * same value). When `fn` throws or its promise rejects, the exception is
 * recorded, the status set to ERROR and `error.type` set, and the error is
 * rethrown unchanged. The span is ended exactly once, when `fn` settles.
 * `fn` must not end the span itself.
 */
export function withSpan<T>(name: string, fn: (span: Span) => T): SpanResult<T>;
export function withSpan<T>(name: string, options: WithSpanOptions, fn: (span: Span) => T): SpanResult<T>;
export function withSpan<T>(
  name: string,
  optionsOrFn: WithSpanOptions | ((span: Span) => T),
  maybeFn?: (span: Span) => T,
): SpanResult<T> {
  const [options, fn] =
    typeof optionsOrFn === 'function' ? [{}, optionsOrFn] : [optionsOrFn, maybeFn as (span: Span) => T];
  return runInSpan(name, options, fn, undefined);
}

/**
 * `withSpan` with a redactor for the recorded error text; for the span
 * helpers of this package (database spans), not exported to users.
 */
export function runInSpan<T>(name: string, options: WithSpanOptions, fn: (span: Span) => T, redact: ErrorTextRedactor | undefined): SpanResult<T> {
  const parent = options.parentContext ?? context.active();
  const span = (options.tracer ?? sightlineTracer()).startSpan(name, spanOptions(options), parent);
  return runWithSpan(span, trace.setSpan(parent, span), fn, redact);
}

/** Runs `fn(span)` with `active` as the active context and ends `span` once when `fn` settles, recording a failure. */
export function runWithSpan<T>(span: Span, active: Context, fn: (span: Span) => T, redact: ErrorTextRedactor | undefined): SpanResult<T> {
  return context.with(active, () =>
    settle(
      () => fn(span),
      () => span.end(),
      (error) => {
        recordError(error, span, redact);
        span.end();
      },
    ),
  );
}
