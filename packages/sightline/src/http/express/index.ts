/**
 * `sightline/express`: Express middleware. Mount it first
 * (`app.use(sightlineExpress({ registry }))`). The route template is the
 * matched route's path joined to the router's mount path when the response
 * ends; a request no route matched (404, static files) is `unmatched`.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { IncomingMessage } from 'node:http';
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

const ROUTE = Symbol('sightline.expressRoute');
const TEMPLATE = Symbol('sightline.expressRouteTemplate');

interface WatchedRequest {
  [ROUTE]?: unknown;
  [TEMPLATE]?: string | undefined;
  readonly baseUrl?: unknown;
}

/** The request prototypes whose `route` is watched: one per Express module loaded. */
const watched = new WeakSet<object>();

/**
 * Remembers the route template when Express assigns `request.route` (as its
 * router does when a route matches), joining the route's path to the mount
 * path of the router at that moment (`/api` + `/orders/:id`). Reading
 * `baseUrl` later is not enough: Express restores it as an error travels
 * back up the routers. Express keeps mount paths only as matched, so a
 * router mounted on a path with parameters contributes its actual segment;
 * mount routers on fixed paths.
 *
 * The accessor goes once onto the request prototype every app of that
 * Express shares (each app's and sub-app's request inherits from it), not
 * onto each request; only a request without that prototype gets its own.
 */
function watchRoute(request: Request): () => string | undefined {
  const owner = sharedRequestPrototype(request) ?? request;
  if (!watched.has(owner)) {
    watched.add(owner);
    Object.defineProperty(owner, 'route', {
      configurable: true,
      enumerable: true,
      get(this: WatchedRequest) {
        return this[ROUTE];
      },
      set(this: WatchedRequest, route: unknown) {
        this[ROUTE] = route;
        this[TEMPLATE] = templateOf(route, this.baseUrl);
      },
    });
  }
  const own = request as WatchedRequest;
  return () => own[TEMPLATE];
}

/** Express's own request prototype: the one in the request's chain directly above `IncomingMessage.prototype`. */
function sharedRequestPrototype(request: Request): object | undefined {
  let prototype: unknown = Object.getPrototypeOf(request);
  while (prototype !== null && typeof prototype === 'object') {
    const parent: unknown = Object.getPrototypeOf(prototype);
    if (parent === IncomingMessage.prototype) return prototype;
    prototype = parent;
  }
  return undefined;
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
