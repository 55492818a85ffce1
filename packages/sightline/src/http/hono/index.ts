/**
 * `sightline/hono`: Hono middleware (`app.use(sightlineHono({ registry }))`,
 * registered before the routes). The route template is the path of the
 * route that handled the request; a request only `use()` middleware saw
 * (Hono's not-found handler answered) is `unmatched`. On `@hono/node-server`
 * the request is recorded when the Node.js response finishes or the
 * connection closes; elsewhere when the handler chain returns. There, the
 * listeners added to `c.env.incoming` run in the request's context too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { context as otelContext } from '@opentelemetry/api';
import { resolveHttpServerOptions } from '../core/options.ts';
import type { HttpServerOptions } from '../core/options.ts';
import { createHttpServerInstrumentation } from '../core/server-request.ts';
import type { ServerRequestInput } from '../core/server-request.ts';

/**
 * Options of {@link sightlineHono}. Id source functions receive the Hono
 * `Context`; default claims are `c.get('jwtPayload')` (as `hono/jwt` sets it).
 */
export type HonoOptions = HttpServerOptions<Context>;

/**
 * Creates the middleware.
 *
 * @throws {InvalidHttpOptionsError} when an option is unusable.
 */
export function sightlineHono(options: HonoOptions = {}): MiddlewareHandler {
  const instrumentation = createHttpServerInstrumentation(resolveHttpServerOptions(options));
  return async (c, next) => {
    const scope = instrumentation.start(honoRequestInput(c));
    if (scope === undefined) return next();
    const ownIndex = c.req.routeIndex;
    const route = (): string | undefined => routeOf(c, ownIndex);
    const outgoing = nodeResponseOf(c);
    if (outgoing !== undefined) scope.endWith(outgoing, route);
    try {
      await otelContext.with(scope.context, next);
      // Hono answers a thrown error with its onError handler and keeps the error here.
      if (c.error !== undefined) scope.fail(c.error);
    } finally {
      if (outgoing === undefined) scope.end({ route: route(), statusCode: c.res.status });
    }
  };
}

/**
 * The path of the last route that ran, unless only this middleware or other
 * `use()` middleware (`ALL` on a wildcard path) did.
 */
function routeOf(c: Context, ownIndex: number): string | undefined {
  const index = c.req.routeIndex;
  if (index === ownIndex) return undefined;
  const last = matchedRoutes(c)[index];
  if (last === undefined) return undefined;
  if (last.method === 'ALL' && last.path.endsWith('*')) return undefined;
  return last.path;
}

/** The `ServerResponse` `@hono/node-server` passes as `c.env.outgoing`, if any. */
function nodeResponseOf(c: Context): ServerResponse | undefined {
  const env: unknown = c.env;
  if (typeof env !== 'object' || env === null || !('outgoing' in env)) return undefined;
  const outgoing = env.outgoing as Partial<ServerResponse> | undefined;
  return typeof outgoing?.once === 'function' ? (outgoing as ServerResponse) : undefined;
}

/** The `IncomingMessage` `@hono/node-server` passes as `c.env.incoming`, if any. */
function nodeRequestOf(c: Context): IncomingMessage | undefined {
  const env: unknown = c.env;
  if (typeof env !== 'object' || env === null || !('incoming' in env)) return undefined;
  const incoming = env.incoming as Partial<IncomingMessage> | undefined;
  return typeof incoming?.on === 'function' ? (incoming as IncomingMessage) : undefined;
}

function honoRequestInput(c: Context): ServerRequestInput<Context> {
  const stream = nodeRequestOf(c);
  return {
    request: c,
    method: c.req.method,
    path: c.req.path,
    ...(stream === undefined ? {} : { stream }),
    header: (name) => c.req.header(name),
    defaultClaims: () => (c.get as (key: string) => unknown)('jwtPayload'),
  };
}

export type { HttpServerOptions } from '../core/options.ts';
export type { IdSource, HeaderIdSource, ClaimIdSource, FunctionIdSource } from '../core/id-source.ts';
