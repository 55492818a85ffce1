/**
 * Text that came from outside (a message body, a header, a parse error that
 * quotes its input) goes into log lines, span events and dead-letter
 * headers only through here, so its length is bounded however large the
 * input was.
 */

/** Longest piece of outside text written into a diagnostic, in characters. */
export const MAX_DETAIL_LENGTH = 256;

/**
 * `text` cut to at most `max` characters (default {@link MAX_DETAIL_LENGTH});
 * a cut text ends with `… (N characters)` so a reader knows it was longer.
 */
export function boundedText(text: string, max: number = MAX_DETAIL_LENGTH): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length} characters)`;
}

/**
 * A short, safe description of an outside value for an error detail: a
 * string is quoted and cut, anything else is named by its type. Never
 * serialises the value (a deeply nested one would overflow the stack).
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(boundedText(value, 64));
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}
