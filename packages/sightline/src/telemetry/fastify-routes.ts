/**
 * Fastify route templates with no code: every Fastify instance (4 and 5)
 * announces itself on the `fastify.initialization` diagnostics channel when
 * it is created, and this instrumentation adds an `onRequest` hook to it that
 * writes the matched route's template (`/users/:id`, prefixes included) into
 * the request's OpenTelemetry RPC metadata, the place the Express
 * instrumentation writes its routes to. The HTTP server instrumentation reads
 * it from there when the response ends, so `http_server_request_duration_seconds`
 * and the SERVER span get `http.route` without `sightline/fastify`.
 *
 * Only instances created after telemetry started are seen (start it with
 * `node --import sightline/register`); a request no route matched keeps no
 * route, as the semantic conventions ask.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import type { Instrumentation, InstrumentationConfig } from '@opentelemetry/instrumentation';
import { VERSION } from '../version.ts';

const INITIALIZATION_CHANNEL = 'fastify.initialization';

/** What the hook reads of a Fastify request (4.10 and later, 5). */
interface FastifyRequestLike {
  readonly is404?: boolean;
  readonly routeOptions?: { readonly url?: string };
}

/** What the subscriber uses of a Fastify instance. */
interface FastifyInstanceLike {
  addHook(name: 'onRequest', hook: (request: FastifyRequestLike, reply: unknown, done: () => void) => void): unknown;
}

function recordRoute(request: FastifyRequestLike, _reply: unknown, done: () => void): void {
  const route = request.is404 === true ? undefined : request.routeOptions?.url;
  const metadata = getRPCMetadata(context.active());
  if (route !== undefined && metadata?.type === RPCType.HTTP) metadata.route = route;
  done();
}

function onInitialization(message: unknown): void {
  const fastify = (message as { fastify?: FastifyInstanceLike } | undefined)?.fastify;
  fastify?.addHook('onRequest', recordRoute);
}

/** Sets `http.route` of Fastify requests; enabled while subscribed to `fastify.initialization`. */
export class FastifyRouteInstrumentation implements Instrumentation {
  readonly instrumentationName = 'sightline-fastify-routes';
  readonly instrumentationVersion = VERSION;
  #config: InstrumentationConfig = { enabled: false };

  enable(): void {
    if (this.#config.enabled === true) return;
    subscribe(INITIALIZATION_CHANNEL, onInitialization);
    this.#config = { ...this.#config, enabled: true };
  }

  disable(): void {
    if (this.#config.enabled !== true) return;
    unsubscribe(INITIALIZATION_CHANNEL, onInitialization);
    this.#config = { ...this.#config, enabled: false };
  }

  setTracerProvider(): void {}

  setMeterProvider(): void {}

  setConfig(config: InstrumentationConfig): void {
    if (config.enabled === false) this.disable();
    else if (config.enabled === true) this.enable();
  }

  getConfig(): InstrumentationConfig {
    return this.#config;
  }
}
