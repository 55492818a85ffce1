/**
 * The framework-neutral part of the HTTP server middleware. An adapter calls
 * {@link HttpServerInstrumentation.start} when a request arrives, runs the
 * rest of the request in the returned context, and calls `end` once the
 * response is finished or the connection closed. `start` counts the request
 * as active, resolves its tenant and makes the listeners later added to the
 * request stream run in the request's context; `end` (effective once) records
 * `http_server_request_duration_seconds`, decrements
 * `http_server_active_requests` and names the server span after the route.
 */
import type { EventEmitter } from 'node:events';
import { context as otelContext, diag, trace } from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';
import { TENANT_ID_KEY, USER_ID_KEY } from '../../context/keys.ts';
import { tenantFromContext } from '../../context/tenant-context.ts';
import { catalogue } from '../../metrics/catalogue.ts';
import { defaultMetricsRegistry } from '../../metrics/default-registry.ts';
import { recordError } from '../../tracing/record-error.ts';
import type { RequestIdInput } from './id-source.ts';
import { normalizeMethod, OTHER_METHOD } from './method.ts';
import type { ResolvedHttpServerConfig } from './options.ts';
import { runListenersInContext } from './request-listeners.ts';
import { httpRpcMetadataOf, isActiveCounted, markDurationRecorded } from './request-metadata.ts';
import { RequestTenantResolver } from './request-tenant.ts';

/** What the core needs to know about an incoming request. */
export interface ServerRequestInput<Req> extends RequestIdInput<Req> {
  /** The request method as received. */
  readonly method: string | undefined;
  /** The request path without query string, matched against `ignorePaths`. */
  readonly path: string;
  /**
   * The Node.js request stream (`IncomingMessage`), when there is one. The
   * listeners added to it after `start` run in the request's context, so a
   * body read through its events keeps the tenant (see `request-listeners.ts`).
   */
  readonly stream?: EventEmitter;
}

/** How a request ended. */
export interface ServerRequestOutcome {
  /** The matched route template (`/orders/:id`), or `undefined` when no route matched. */
  readonly route: string | undefined;
  /** The response status code, or `undefined` when none was sent (the client went away first). */
  readonly statusCode: number | undefined;
}

/** One measured request. */
export interface ServerRequestScope {
  /** The context to run the rest of the request in: the server span plus the request's tenant. */
  readonly context: Context;
  /** Records the request. Only the first call has an effect. */
  end(outcome: ServerRequestOutcome): void;
  /**
   * Records what the handler threw on the server span (an `exception` event,
   * status ERROR, `error.type`), for frameworks that turn it into a response
   * themselves. Never throws.
   */
  fail(error: unknown): void;
}

/** Measures requests for one adapter instance. */
export interface HttpServerInstrumentation<Req> {
  /** Starts measuring a request in the active context; `undefined` when its path is ignored. */
  start(input: ServerRequestInput<Req>): ServerRequestScope | undefined;
}

/** Creates the request measurement for an adapter from its resolved config. */
export function createHttpServerInstrumentation<Req>(
  config: ResolvedHttpServerConfig<Req>,
): HttpServerInstrumentation<Req> {
  const registry = config.registry ?? defaultMetricsRegistry();
  const duration = registry.histogram(catalogue.httpServerRequestDuration);
  const active = registry.gauge(catalogue.httpServerActiveRequests);
  const tenants = new RequestTenantResolver(config.tenant, config.user, registry.counter(catalogue.httpServerInvalidIds));
  const ignored = (path: string): boolean =>
    config.ignorePaths.some((pattern) => (typeof pattern === 'string' ? pattern === path : pattern.test(path)));

  return {
    start(input) {
      if (ignored(input.path)) {
        // Not measured at all: the instrumentation's measurement of the request is left out too.
        const ignoredMetadata = httpRpcMetadataOf(otelContext.active());
        if (ignoredMetadata !== undefined) markDurationRecorded(ignoredMetadata);
        return undefined;
      }
      const method = normalizeMethod(input.method);
      const started = performance.now();
      const parent = otelContext.active();
      const metadata = httpRpcMetadataOf(parent);
      const span = metadata?.span ?? trace.getSpan(parent);
      // Telemetry counts active requests itself when its http instrumentation runs; the middleware
      // records the duration, and the instrumentation's measurement of this request is left out.
      const countsActive = !isActiveCounted(metadata);
      if (metadata !== undefined) markDurationRecorded(metadata);
      if (countsActive) active.inc({ http_request_method: method });
      let requestContext = parent;
      try {
        requestContext = tenants.contextFor(parent, input);
        if (span !== undefined) stampTenant(span, requestContext);
      } catch (error) {
        diag.warn('sightline: could not put the tenant of an HTTP request into its context', error);
      }
      if (input.stream !== undefined) {
        try {
          runListenersInContext(input.stream, requestContext);
        } catch (error) {
          diag.warn('sightline: could not run the listeners of an HTTP request stream in its context', error);
        }
      }
      let ended = false;

      return {
        context: requestContext,
        end(outcome) {
          if (ended) return;
          ended = true;
          if (countsActive) active.dec({ http_request_method: method });
          try {
            const route = outcome.route ?? config.unmatchedRoute;
            duration.observe(
              {
                http_request_method: method,
                http_route: route,
                http_response_status_code: outcome.statusCode ?? '',
                tenant_id: registry.tenantLabels.labelFor(tenantFromContext(requestContext)?.tenantId),
              },
              (performance.now() - started) / 1000,
              requestContext,
            );
            if (span !== undefined && outcome.route !== undefined) nameServerSpan(span, method, outcome.route);
            if (metadata !== undefined) metadata.route = method === OTHER_METHOD ? undefined : outcome.route;
          } catch (error) {
            diag.warn('sightline: could not record an HTTP request', error);
          }
        },
        fail(error) {
          recordError(error, span);
        },
      };
    },
  };
}

/** Sets `http.route` and renames the span `METHOD route` (`HTTP route` for unknown methods), while it is open. */
function nameServerSpan(span: Span, method: string, route: string): void {
  if (!span.isRecording()) return;
  span.setAttribute('http.route', route);
  span.updateName(`${method === OTHER_METHOD ? 'HTTP' : method} ${route}`);
}

/**
 * The server span started before the middleware knew the tenant, so the
 * tenant span processor found none to copy onto it: set `tenant.id` and
 * `user.id` now. (With user-id hashing on, the processor hashes a `user.id`
 * set after start when the span ends.) The resolved tenant replaces one the
 * processor copied from the incoming `baggage`, as it does in the context.
 */
function stampTenant(span: Span, requestContext: Context): void {
  const tenant = tenantFromContext(requestContext);
  if (tenant === undefined || !span.isRecording()) return;
  span.setAttribute(TENANT_ID_KEY, tenant.tenantId);
  if (tenant.userId !== undefined) span.setAttribute(USER_ID_KEY, tenant.userId);
}
