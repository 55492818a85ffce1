/**
 * `sightline/express`: Express middleware. Mount it first
 * (`app.use(sightlineExpress({ registry }))`). The route template is the
 * matched route's path joined to the router's mount path when the response
 * ends; a request no route matched (404, static files) is `unmatched`.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { context as otelContext } from '@opentelemetry/api';
import { nodeRequestInput } from '../core/node-response.ts';
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
export function sightlineExpress(options: ExpressOptions = {}): RequestHandler {
  const instrumentation = createHttpServerInstrumentation(resolveHttpServerOptions(options));
  // Named, so that the Express instrumentation's span for it reads `middleware - sightlineExpress`.
  return function sightlineExpress(request: Request, response: Response, next: NextFunction): void {
    const scope = instrumentation.start(nodeRequestInput(request));
    if (scope === undefined) return next();
    scope.endWith(response, watchRoute(request));
    otelContext.with(scope.context, next);
  };
}

/**
 * Remembers the route template when Express assigns `request.route` (as its
 * router does when a route matches), joining the route's path to the mount
 * path of the router at that moment (`/api` + `/orders/:id`). Reading
 * `baseUrl` later is not enough: Express restores it as an error travels
 * back up the routers. Express keeps mount paths only as matched, so a
 * router mounted on a path with parameters contributes its actual segment;
 * mount routers on fixed paths.
 */
function watchRoute(request: Request): () => string | undefined {
  let current: unknown = request.route;
  let template = templateOf(current, request.baseUrl);
  Object.defineProperty(request, 'route', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (route: unknown) => {
      current = route;
      template = templateOf(route, request.baseUrl);
    },
  });
  return () => template;
}

function templateOf(route: unknown, baseUrl: unknown): string | undefined {
  if (typeof route !== 'object' || route === null || !('path' in route)) return undefined;
  const path = typeof route.path === 'string' ? route.path : String(route.path);
  const base = typeof baseUrl === 'string' ? baseUrl : '';
  if (base === '') return path;
  return path === '/' ? base : base + path;
}

export type { HttpServerOptions } from '../core/options.ts';
export type { IdSource, HeaderIdSource, ClaimIdSource, FunctionIdSource } from '../core/id-source.ts';
