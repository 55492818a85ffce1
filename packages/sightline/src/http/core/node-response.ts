/**
 * Ties the end of a measured request to a Node.js response: the request is
 * recorded when the response finishes, or when the connection closes first
 * (a client that went away). Both events may fire; the scope records once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { boundedText } from '../../diagnostics/bounded-text.ts';
import { createThrottledWarning } from '../../diagnostics/throttled-warning.ts';
import { firstHeaderValue } from './id-source.ts';
import type { RequestIdInput } from './id-source.ts';
import type { ServerRequestInput, ServerRequestScope } from './server-request.ts';

/** Anything with the response events and status of `http.ServerResponse`. */
export type NodeResponse = Pick<ServerResponse, 'once' | 'headersSent' | 'statusCode'>;

/** Ends `scope` when `response` finishes or closes (see {@link ServerRequestScope.endWith}). */
export function endWithResponse(
  response: NodeResponse,
  scope: ServerRequestScope,
  route: () => string | undefined,
): void {
  const end = (): void => {
    scope.end({ route: readRoute(route), statusCode: response.headersSent ? response.statusCode : undefined });
  };
  response.once('finish', end);
  response.once('close', end);
}

const warnRouteFailed = createThrottledWarning();

/** The route a request matched, as `route` says; a `route` that throws counts as no route (a few warnings a minute at most). */
export function readRoute(route: () => string | undefined): string | undefined {
  try {
    return route();
  } catch (error) {
    warnRouteFailed(`sightline: reading the route of an HTTP request failed; it is recorded as unmatched: ${boundedText(String(error))}`);
    return undefined;
  }
}

/** The path of a request target, without query string or fragment. */
export function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/**
 * The core's view of a Node.js request (also Express's). Default claims are
 * `req.auth` (express-jwt, express-oauth2-jwt-bearer) or else `req.user` (Passport).
 */
export function nodeRequestInput<Req extends IncomingMessage>(request: Req): ServerRequestInput<Req> {
  return {
    request,
    method: request.method,
    path: pathOf(request.url),
    stream: request,
    header: (name) => firstHeaderValue(request.headers[name]),
    defaultClaims: () => claimsOf(request),
  } satisfies RequestIdInput<Req> & ServerRequestInput<Req>;
}

function claimsOf(request: IncomingMessage): unknown {
  const holder = request as IncomingMessage & { auth?: unknown; user?: unknown };
  return holder.auth ?? holder.user;
}
