/**
 * HTTP method normalisation for labels and span names, as the
 * semantic conventions ask: the known methods as they are, anything else
 * (`PROPFIND`, a typo, an attacker's random verb) as `_OTHER`, so the
 * method label stays bounded.
 */

const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'QUERY',
  'TRACE',
]);

/** The value for unknown methods. */
export const OTHER_METHOD = '_OTHER';

/** `method` when it is a known HTTP method (case-sensitive, as HTTP methods are), else `_OTHER`. */
export function normalizeMethod(method: string | undefined): string {
  return method !== undefined && KNOWN_METHODS.has(method) ? method : OTHER_METHOD;
}
