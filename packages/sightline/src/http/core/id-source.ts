/**
 * Where a tenant or user id comes from in an incoming request: a header, a
 * claim of an already verified token, or a function of the framework's
 * request object. Sightline never verifies tokens; a `claim` source reads
 * claims your authentication middleware has already checked.
 */

/** Reads an id from the header `header` (case-insensitive). The first value is used when it repeats. */
export interface HeaderIdSource {
  readonly header: string;
}

/**
 * Reads an id from the claim `claim` of an already verified token. `claims`
 * returns the decoded claims for a request; without it each adapter reads
 * where the common auth middleware puts them (`req.auth`, then `req.user`
 * for node:http and Express; `request.user` for Fastify; `c.get('jwtPayload')`
 * for Hono). A claim that is not a string is ignored.
 */
export interface ClaimIdSource<Req> {
  readonly claim: string;
  readonly claims?: (request: Req) => unknown;
}

/** Returns the id for a request, or `undefined` when it has none. */
export type FunctionIdSource<Req> = (request: Req) => string | undefined;

/** Where an id comes from; `Req` is the framework's request (or context) object. */
export type IdSource<Req> = HeaderIdSource | ClaimIdSource<Req> | FunctionIdSource<Req>;

/** What the core needs from a request to read an id; each adapter provides it. */
export interface RequestIdInput<Req> {
  /** The framework's request object, passed to user functions. */
  readonly request: Req;
  /** The value of a header (lower-case name), or `undefined`. */
  header(name: string): string | undefined;
  /** The verified claims the adapter finds by default (see {@link ClaimIdSource}). */
  defaultClaims(): unknown;
}

/** The raw value `source` yields for a request (not yet validated). Throws what a user function throws. */
export function readId<Req>(source: IdSource<Req>, input: RequestIdInput<Req>): unknown {
  if (typeof source === 'function') return source(input.request);
  if ('header' in source) return firstListValue(input.header(source.header));
  const claims = source.claims ? source.claims(input.request) : input.defaultClaims();
  if (typeof claims !== 'object' || claims === null) return undefined;
  return (claims as Record<string, unknown>)[source.claim];
}

/**
 * The first value of a header that arrived more than once: Node.js and the
 * Fetch API join repeats with `, ` (`acme, globex`), and ids hold no commas.
 */
function firstListValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const comma = value.indexOf(',');
  return (comma === -1 ? value : value.slice(0, comma)).trim();
}

/** The first value of a Node.js header (`string | string[] | undefined`). */
export function firstHeaderValue(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}
