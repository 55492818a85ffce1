/**
 * `sightline/fastify`: a Fastify plugin. Its `onRequest` hook applies to
 * every route of the instance it is registered on, including the 404
 * handler (the plugin skips Fastify's encapsulation the way
 * `fastify-plugin` does, without depending on it). The route template is
 * `request.routeOptions.url`; a request no route matched is `unmatched`.
 */
import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import { context as otelContext } from '@opentelemetry/api';
import { firstHeaderValue } from '../core/id-source.ts';
import { pathOf } from '../core/node-response.ts';
import { resolveHttpServerOptions } from '../core/options.ts';
import type { HttpServerOptions } from '../core/options.ts';
import { createHttpServerInstrumentation } from '../core/server-request.ts';
import type { ServerRequestInput, ServerRequestScope } from '../core/server-request.ts';

/**
 * Options of {@link sightlineFastify}. Id source functions receive the
 * `FastifyRequest`; default claims are `request.user` (as `@fastify/jwt` sets it).
 */
export type FastifyOptions = HttpServerOptions<FastifyRequest>;

const plugin: FastifyPluginCallback<FastifyOptions> = (fastify, options, done) => {
  const instrumentation = createHttpServerInstrumentation(resolveHttpServerOptions(options));
  const scopes = new WeakMap<FastifyRequest, ServerRequestScope>();
  fastify.addHook('onRequest', (request, reply, next) => {
    const scope = instrumentation.start(fastifyRequestInput(request));
    if (scope === undefined) return next();
    scopes.set(request, scope);
    scope.endWith(reply.raw, () => (request.is404 ? undefined : request.routeOptions.url));
    otelContext.with(scope.context, next);
  });
  fastify.addHook('onError', (request, _reply, error, next) => {
    scopes.get(request)?.fail(error);
    next();
  });
  done();
};

Object.assign(plugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'sightline',
});

/**
 * The plugin: `await app.register(sightlineFastify, { registry })`.
 *
 * @throws {InvalidHttpOptionsError} (through `register`) when an option is unusable.
 */
export const sightlineFastify: FastifyPluginCallback<FastifyOptions> = plugin;

function fastifyRequestInput(request: FastifyRequest): ServerRequestInput<FastifyRequest> {
  return {
    request,
    method: request.method,
    path: pathOf(request.url),
    stream: request.raw,
    header: (name) => firstHeaderValue(request.headers[name]),
    defaultClaims: () => (request as FastifyRequest & { user?: unknown }).user,
  };
}

export type { HttpServerOptions } from '../core/options.ts';
export type { IdSource, HeaderIdSource, ClaimIdSource, FunctionIdSource } from '../core/id-source.ts';
