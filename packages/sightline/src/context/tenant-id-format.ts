/**
 * The shape a tenant or user id must have to ride in W3C baggage and on
 * spans: 1 to {@link MAX_ID_LENGTH} characters from letters, digits and
 * `. _ - : @ + / = ~` (enough for UUIDs, slugs, e-mail addresses and
 * base64 ids; no spaces, commas, semicolons or control characters).
 */

/** Longest tenant or user id accepted, in characters. */
export const MAX_ID_LENGTH = 256;

const ID_PATTERN = /^[A-Za-z0-9._\-:@+/=~]+$/;
const ALLOWED = 'letters, digits and . _ - : @ + / = ~';

/** Why `value` is not a usable id, or `undefined` when it is. */
export function describeInvalidId(value: unknown): string | undefined {
  if (typeof value !== 'string') return `a string, got ${typeof value}`;
  if (value.length === 0) return 'a non-empty string, got ""';
  if (value.length > MAX_ID_LENGTH) {
    return `at most ${MAX_ID_LENGTH} characters, got ${value.length} characters`;
  }
  if (!ID_PATTERN.test(value)) {
    const bad = [...value].find((char) => !ID_PATTERN.test(char)) ?? '';
    return `made of ${ALLOWED}, got ${JSON.stringify(value)} (${JSON.stringify(bad)} is not allowed)`;
  }
  return undefined;
}

/** True when `value` is a usable tenant or user id. */
export function isValidId(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH && ID_PATTERN.test(value);
}
