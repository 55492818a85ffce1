/**
 * The context a span-duration observation reads its exemplar from: the
 * finished span itself, and nothing else (not the baggage or span of the
 * code that happened to end it). Building it with `trace.setSpanContext`
 * makes a span wrapper and a context copy for every span, as much as the
 * observation itself; this one object is reused, holding one span for the
 * length of one synchronous observation.
 */
import { INVALID_SPAN_CONTEXT, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Context, SpanContext } from '@opentelemetry/api';

/** What the context hands out as the span: anything with a span context (a finished SDK span is). */
interface HasSpanContext {
  spanContext(): SpanContext;
}

/**
 * The key the API keeps the span under. The API does not export it, so it is
 * read from the API itself: `trace.setSpan` stores the span with `setValue`.
 */
const SPAN_KEY: symbol | undefined = (() => {
  let key: symbol | undefined;
  const probe: Context = {
    getValue: () => undefined,
    setValue: (found) => {
      key = found;
      return probe;
    },
    deleteValue: () => probe,
  };
  trace.setSpan(probe, trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
  return key;
})();

/** A reusable context holding one span at a time; see the module comment. */
export class SpanExemplarContext implements Context {
  #span: HasSpanContext | undefined;

  /**
   * This context, now holding `span` (only `span`) until {@link release}: pass
   * it to one synchronous observation, which must not keep it.
   */
  holding(span: HasSpanContext): Context {
    if (SPAN_KEY === undefined) return trace.setSpanContext(ROOT_CONTEXT, span.spanContext());
    this.#span = span;
    return this;
  }

  /** Lets go of the span held since {@link holding}. */
  release(): void {
    this.#span = undefined;
  }

  getValue(key: symbol): unknown {
    return key === SPAN_KEY ? this.#span : undefined;
  }

  setValue(key: symbol, value: unknown): Context {
    return this.#copy().setValue(key, value);
  }

  deleteValue(key: symbol): Context {
    return this.#copy().deleteValue(key);
  }

  /** An ordinary context with the same content, for the rare caller that derives one. */
  #copy(): Context {
    return this.#span === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, this.#span.spanContext());
  }
}
