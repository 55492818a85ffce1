/** Handling a function result that may be a value or a thenable, without making sync code async. */

/**
 * What a span helper returns for a function returning `T`: `T` itself for a
 * plain value, a native `Promise` of the settled value for any thenable.
 */
export type SpanResult<T> = T extends PromiseLike<infer U> ? Promise<U> : T;

/** True for a promise or any other object with a callable `then`. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Runs `fn` and calls exactly one of `onValue`/`onError` when it settles:
 * at once for a sync result or throw, after settlement for a thenable.
 * The result (or the error) is passed through unchanged.
 */
export function settle<T>(
  fn: () => T,
  onValue: (value: unknown) => void,
  onError: (error: unknown) => void,
): SpanResult<T> {
  let result: T;
  try {
    result = fn();
  } catch (error) {
    onError(error);
    throw error;
  }
  if (!isThenable(result)) {
    onValue(result);
    return result as SpanResult<T>;
  }
  return Promise.resolve(result).then(
    (value) => {
      onValue(value);
      return value;
    },
    (error: unknown) => {
      onError(error);
      throw error;
    },
  ) as SpanResult<T>;
}
