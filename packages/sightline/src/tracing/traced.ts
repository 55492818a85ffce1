/** Wrapping a function so every call runs in its own span. */
import { SpanNameMissingError } from '../errors.ts';
import type { SpanResult } from './span-result.ts';
import { withSpan } from './with-span.ts';
import type { WithSpanOptions } from './with-span.ts';

/** Options of {@link traced}: those of `withSpan` plus the span name. */
export interface TracedOptions extends WithSpanOptions {
  /** Span name; default the function's `name`. Keep it low-cardinality (`orders.place`). */
  readonly name?: string;
}

/**
 * Returns a function with `fn`'s parameters and `this` that runs each call
 * in `withSpan(name, options, …)`. An async `fn` stays async; a sync one
 * stays sync.
 *
 * @throws {SpanNameMissingError} when neither `options.name` nor `fn.name` gives a name.
 */
export function traced<This, Args extends unknown[], R>(
  fn: (this: This, ...args: Args) => R,
  options: TracedOptions = {},
): (this: This, ...args: Args) => SpanResult<R> {
  const { name = fn.name, ...spanOptions } = options;
  if (name === '') throw new SpanNameMissingError();
  return function tracedCall(this: This, ...args: Args): SpanResult<R> {
    return withSpan(name, spanOptions, () => fn.apply(this, args));
  };
}
