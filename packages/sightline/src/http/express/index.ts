/**
 * `sightline/express`: Express middleware. Mount it first
 * (`app.use(sightlineExpress({ registry }))`). The route template is the
 * matched route's path joined to the router's mount path when the response
 * ends; a request no route matched (404, static files) is `unmatched`.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { context as otelContext } from '@opentelemetry/api';
import { endWithResponse, nodeRequestInput } from '../core/node-response.ts';
import { resolveHttpServerOptions } from '../core/options.ts';
import type { HttpServerOptions } from '../core/options.ts';
import { createHttpServerInstrumentation } from '../core/server-request.ts';

/** Options of {@link sightlineExpress}. Id source functions receive the Express `Request`. */
export type ExpressOptions = HttpServerOptions<Request>;

/**
 * Creates the middleware.
 *
 * @throws {InvalidHttpOptionsError} when an option is unusable.
 */
export function sightlineExpress(options: ExpressOptions): RequestHandler {
  const instrumentation = createHttpServerInstrumentation(resolveHttpServerOptions(options));
  return (request: Request, response: Response, next: NextFunction): void => {
    const scope = instrumentation.start(nodeRequestInput(request));
    if (scope === undefined) return next();
    endWithResponse(response, scope, () => routeOf(request));
    otelContext.with(scope.context, next);
  };
}

/**
 * `baseUrl` + the matched route's path (`/api` + `/orders/:id`). Express
 * keeps the mount path only as matched, so a router mounted on a path with
 * parameters contributes its actual segment; mount routers on fixed paths.
 */
function routeOf(request: Request): string | undefined {
  const route: unknown = request.route;
  if (typeof route !== 'object' || route === null || !('path' in route)) return undefined;
  const path = typeof route.path === 'string' ? route.path : String(route.path);
  const base = request.baseUrl;
  if (base === '') return path;
  return path === '/' ? base : base + path;
}

export type { HttpServerOptions, TenantLabelPolicy } from '../core/options.ts';
export type { IdSource, HeaderIdSource, ClaimIdSource, FunctionIdSource } from '../core/id-source.ts';
