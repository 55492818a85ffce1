/**
 * The framework-neutral part of the HTTP server middleware. An adapter calls
 * {@link HttpServerInstrumentation.start} when a request arrives, runs the
 * rest of the request in the returned context, and ties the end of the
 * request to its response with `endWith` (or calls `end` itself).
 *
 * Under Sightline's telemetry the request is already counted, timed and
 * recorded by its server instrumentation (`telemetry/http-server/`): `start`
 * resolves the tenant and hands it over with the route, so the request costs
 * one measurement. Otherwise (no telemetry, or another SDK's instrumentation)
 * `start` counts the request as active and makes the listeners later added
 * to the request stream run in the request's context, and the end (effective
 * once) records `http_server_request_duration_seconds`, decrements
 * `http_server_active_requests` and names the server span after the route.
 */
import type { EventEmitter } from 'node:events';
import { context as otelContext, diag, trace } from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';
import { TENANT_ID_KEY, USER_ID_KEY } from '../../context/keys.ts';
import { tenantFromContext } from '../../context/tenant-context.ts';
import { catalogue } from '../../metrics/catalogue.ts';
import { defaultMetricsRegistry } from '../../metrics/default-registry.ts';
import type { HistogramInstrument } from '../../metrics/instruments.ts';
import type { TenantLabelPolicy } from '../../metrics/tenant-label-policy.ts';
import { recordError } from '../../tracing/record-error.ts';
import type { RequestIdInput } from './id-source.ts';
import { normalizeMethod, OTHER_METHOD } from './method.ts';
import type { ResolvedHttpServerConfig } from './options.ts';
import { endWithResponse } from './node-response.ts';
import type { NodeResponse } from './node-response.ts';
import { runListenersInContext } from './request-listeners.ts';
import { httpRpcMetadataOf, measuredRequestOf, settleRoute } from './request-metadata.ts';
import type { HttpRpcMetadata, MeasuredRequest } from './request-metadata.ts';
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
  /**
   * Ends the request when `response` finishes, or when the connection closes
   * first (a client that went away). `route` is read then, so a framework
   * that matches routes while handling the request is asked after it did; a
   * `route` that throws counts as no route.
   */
  endWith(response: NodeResponse, route: () => string | undefined): void;
  /** Ends the request, for adapters without a Node.js response. Only the first call has an effect. */
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

  /** The request's context with its tenant; the server span gets the tenant too. */
  const withTenant = (parent: Context, span: Span | undefined, input: ServerRequestInput<Req>): Context => {
    try {
      const requestContext = tenants.contextFor(parent, input);
      if (span !== undefined) stampTenant(span, requestContext);
      return requestContext;
    } catch (error) {
      diag.warn('sightline: could not put the tenant of an HTTP request into its context', error);
      return parent;
    }
  };

  /** Sightline's server instrumentation measures the request: hand it the tenant and the route, record nothing here. */
  const handOver = (parent: Context, span: Span, measured: MeasuredRequest, input: ServerRequestInput<Req>): ServerRequestScope => {
    const requestContext = withTenant(parent, span, input);
    measured.context = requestContext;
    measured.unmatchedRoute = config.unmatchedRoute;
    return {
      context: requestContext,
      endWith(_response, route) {
        measured.routeOf = route;
      },
      end(outcome) {
        measured.routeOf = () => outcome.route;
      },
      fail(error) {
        recordError(error, span);
      },
    };
  };

  /** No Sightline server instrumentation (none at all, or another SDK's): count, time and record the request here. */
  const measure = (parent: Context, metadata: HttpRpcMetadata | undefined, input: ServerRequestInput<Req>): ServerRequestScope => {
    const method = normalizeMethod(input.method);
    const started = performance.now();
    const span = metadata?.span ?? trace.getSpan(parent);
    active.inc({ http_request_method: method });
    const requestContext = withTenant(parent, span, input);
    if (input.stream !== undefined) {
      try {
        runListenersInContext(input.stream, requestContext);
      } catch (error) {
        diag.warn('sightline: could not run the listeners of an HTTP request stream in its context', error);
      }
    }
    let ended = false;

    const scope: ServerRequestScope = {
      context: requestContext,
      endWith(response, route) {
        endWithResponse(response, scope, route);
      },
      end(outcome) {
        if (ended) return;
        ended = true;
        active.dec({ http_request_method: method });
        try {
          const route = outcome.route ?? config.unmatchedRoute;
          observeRequestDuration(duration, registry.tenantLabels, { method, route, statusCode: outcome.statusCode, started, context: requestContext });
          if (span !== undefined && outcome.route !== undefined) nameServerSpan(span, method, outcome.route);
          if (metadata !== undefined) settleRoute(metadata, method, outcome.route);
        } catch (error) {
          diag.warn('sightline: could not record an HTTP request', error);
        }
      },
      fail(error) {
        recordError(error, span);
      },
    };
    return scope;
  };

  return {
    start(input) {
      const parent = otelContext.active();
      const metadata = httpRpcMetadataOf(parent);
      const measured = measuredRequestOf(metadata);
      const handsOver = measured !== undefined && (config.registry === undefined || config.registry === measured.registry);
      if (ignored(input.path)) {
        if (handsOver) measured.ignored = true;
        return undefined;
      }
      return handsOver ? handOver(parent, metadata!.span, measured, input) : measure(parent, metadata, input);
    },
  };
}

/** A finished request, as {@link observeRequestDuration} records it. */
export interface FinishedRequest {
  /** The normalised method. */
  readonly method: string;
  /** The route label: the template, or what stands for no route. */
  readonly route: string;
  /** The response status code, or `undefined` when none was sent. */
  readonly statusCode: number | undefined;
  /** `performance.now()` when the request arrived. */
  readonly started: number;
  /** The request's context: its tenant becomes the tenant label (by the registry's policy), its span the exemplar. */
  readonly context: Context;
}

/** `http_server_request_duration_seconds`, as a registry gives it. */
export type RequestDurationHistogram = HistogramInstrument<(typeof catalogue.httpServerRequestDuration.labelNames)[number]>;

/** Records `request` in `duration`, its tenant labelled by `tenantLabels`. */
export function observeRequestDuration(duration: RequestDurationHistogram, tenantLabels: TenantLabelPolicy, request: FinishedRequest): void {
  duration.observe(
    {
      http_request_method: request.method,
      http_route: request.route,
      http_response_status_code: request.statusCode ?? '',
      tenant_id: tenantLabels.labelFor(tenantFromContext(request.context)?.tenantId),
    },
    (performance.now() - request.started) / 1000,
    request.context,
  );
}

/** Sets `http.route` and renames the span `METHOD route` (`HTTP route` for unknown methods), while it is open. */
export function nameServerSpan(span: Span, method: string, route: string): void {
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
