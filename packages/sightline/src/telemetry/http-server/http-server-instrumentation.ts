/**
 * Server spans and request metrics for `node:http` and `node:https`, with
 * no code in the app: Sightline's replacement for the server side of
 * OpenTelemetry's http instrumentation (whose client side it keeps). Each
 * request gets, as OpenTelemetry's would give it, a SERVER span with the
 * stable HTTP attributes, parented on the incoming trace context and named
 * after its route when one is known (`GET /users/:id`), and runs in that
 * span's context, along with the listeners later added to its streams. It
 * is counted in `http_server_active_requests` (kept as plain counts per
 * method, read into the gauge at scrape or push) and recorded once, when the
 * response closes, in `http_server_request_duration_seconds`, with the
 * route (from the middleware or a framework instrumentation), the tenant
 * (from the middleware) and the span as exemplar when it is sampled.
 *
 * Why our own: under the benchmark the upstream instrumentation was the
 * largest per-request cost, most of it for requests that are not sampled
 * (URL and header parsing, attribute cleaning, two context-bound emitters
 * patched per request, a second measurement the middleware then had to
 * suppress). Here a request that is not sampled costs the sampler's
 * decision, the context, two counters and one histogram observation.
 */
import { createRequire } from 'node:module';
import type * as NodeHttp from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as NodeHttps from 'node:https';
import { context as otelContext, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Context, MeterProvider, Span, SpanOptions, Tracer, TracerProvider } from '@opentelemetry/api';
import type { Instrumentation, InstrumentationConfig } from '@opentelemetry/instrumentation';
import { ATTR_ERROR_TYPE, ATTR_HTTP_RESPONSE_STATUS_CODE } from '@opentelemetry/semantic-conventions';
import { EMPTY_LINKED_CONTEXT } from '../../context/linked-context.ts';
import { normalizeMethod, OTHER_METHOD } from '../../http/core/method.ts';
import { measuredRpcMetadata, RPC_METADATA_KEY, settleRoute } from '../../http/core/request-metadata.ts';
import type { HttpRpcMetadata, MeasuredRequest } from '../../http/core/request-metadata.ts';
import { readRoute } from '../../http/core/node-response.ts';
import { nameServerSpan, observeRequestDuration } from '../../http/core/server-request.ts';
import { catalogue } from '../../metrics/catalogue.ts';
import type { MetricsRegistry } from '../../metrics/registry.ts';
import { createThrottledWarning } from '../../diagnostics/throttled-warning.ts';
import { recordError } from '../../tracing/record-error.ts';
import { VERSION } from '../../version.ts';
import { detailAttributes, startAttributes } from './incoming-attributes.ts';
import { bindListeners, patchListenerMethods } from './listener-binding.ts';

/** The instrumentation scope of the server spans. */
export const HTTP_SERVER_SCOPE = 'sightline/http-server';

const warn = createThrottledWarning();

const SERVER_SPAN: SpanOptions = { kind: SpanKind.SERVER };

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;

/** What the instrumentation is configured with. */
export interface HttpServerInstrumentationOptions {
  /** Where the request metrics are recorded. */
  readonly registry: MetricsRegistry;
  /** Requests that get neither span nor metrics (scrapes of the metrics server). */
  readonly ignoreIncomingRequest: (request: IncomingMessage) => boolean;
  /**
   * Whether the sampler decides on span attributes (default `true`): the
   * method, scheme, path and query are then given to it when the span
   * starts; otherwise they are set only on a span that records, and a
   * request that is not sampled never builds them.
   */
  readonly samplerReadsAttributes?: boolean;
  /**
   * The headers without which the global propagator extracts nothing (see
   * `contextHeaders`): a request with none of them skips extraction.
   * `undefined` (the default) extracts from every request.
   */
  readonly contextHeaders?: readonly string[] | undefined;
}

/** One request in flight: what the middleware may add to, and what the end needs. */
class InFlightRequest implements MeasuredRequest {
  readonly registry: MetricsRegistry;
  readonly method: string;
  readonly span: Span;
  readonly metadata: HttpRpcMetadata;
  readonly started = performance.now();
  context: Context;
  routeOf: (() => string | undefined) | undefined = undefined;
  unmatchedRoute: string | undefined = undefined;
  ignored = false;
  ended = false;

  constructor(registry: MetricsRegistry, method: string, span: Span, parent: Context) {
    this.registry = registry;
    this.method = method;
    this.span = span;
    this.metadata = measuredRpcMetadata(span, this);
    this.context = trace.setSpan(parent, span).setValue(RPC_METADATA_KEY, this.metadata);
  }

  /** The route: the middleware's, else what a framework instrumentation wrote into the metadata. */
  route(): string | undefined {
    return this.routeOf === undefined ? this.metadata.route : readRoute(this.routeOf);
  }
}

/** Server spans and request metrics for `node:http` and `node:https` (see the module comment). */
export class HttpServerInstrumentation implements Instrumentation {
  readonly instrumentationName = HTTP_SERVER_SCOPE;
  readonly instrumentationVersion = VERSION;
  readonly #options: HttpServerInstrumentationOptions;
  readonly #duration;
  readonly #active;
  /** Requests in flight by method: the gauge is set from these when it is read. */
  readonly #inFlight = new Map<string, number>();
  #config: InstrumentationConfig = { enabled: false };
  #tracer: Tracer = trace.getTracer(HTTP_SERVER_SCOPE, VERSION);
  #unpatch: (() => void) | undefined;

  constructor(options: HttpServerInstrumentationOptions) {
    this.#options = options;
    this.#duration = options.registry.histogram(catalogue.httpServerRequestDuration);
    this.#active = options.registry.gauge(catalogue.httpServerActiveRequests);
  }

  setTracerProvider(tracerProvider: TracerProvider): void {
    this.#tracer = tracerProvider.getTracer(HTTP_SERVER_SCOPE, VERSION);
  }

  setMeterProvider(_meterProvider: MeterProvider): void {}

  setConfig(config: InstrumentationConfig): void {
    this.#config = config;
  }

  getConfig(): InstrumentationConfig {
    return this.#config;
  }

  /**
   * Patches `emit` of the `http` and `https` servers and the listener
   * methods of their streams (`registerInstrumentations` calls it, as the
   * instrumentation is created disabled).
   */
  enable(): void {
    if (this.#unpatch !== undefined) return;
    this.#config = { ...this.#config, enabled: true };
    const load = createRequire(import.meta.url);
    const http = load('node:http') as typeof NodeHttp;
    const https = load('node:https') as typeof NodeHttps;
    const restores = [
      this.#patchEmit(http.Server.prototype, 'http'),
      this.#patchEmit(https.Server.prototype, 'https'),
      patchListenerMethods([http.IncomingMessage.prototype, http.ServerResponse.prototype]),
    ];
    const removeCollector = this.#active.addCollector((gauge) => {
      for (const [method, count] of this.#inFlight) gauge.set({ http_request_method: method }, count);
    });
    this.#unpatch = () => {
      for (const restore of restores) restore();
      removeCollector();
    };
  }

  disable(): void {
    this.#config = { ...this.#config, enabled: false };
    this.#unpatch?.();
    this.#unpatch = undefined;
  }

  #patchEmit(prototype: object, scheme: string): () => void {
    const server = prototype as { emit: Emit };
    const own = Object.getOwnPropertyDescriptor(prototype, 'emit');
    const emit = server.emit;
    const serve = (target: unknown, args: unknown[]): boolean =>
      this.#serve(emit, target, scheme, args[0] as IncomingMessage, args[1] as ServerResponse, args);
    const patched: Emit = function (event, ...args) {
      return event === 'request' ? serve(this, args) : emit.call(this, event, ...args);
    };
    server.emit = patched;
    return () => {
      if (server.emit !== patched) return;
      if (own === undefined) delete (server as Partial<typeof server>).emit;
      else Object.defineProperty(prototype, 'emit', own);
    };
  }

  #serve(emit: Emit, server: unknown, scheme: string, request: IncomingMessage, response: ServerResponse, args: unknown[]): boolean {
    let inFlight: InFlightRequest | undefined;
    try {
      if (!this.#options.ignoreIncomingRequest(request)) inFlight = this.#start(request, response, scheme);
    } catch (error) {
      warn(`sightline: the HTTP server instrumentation failed on a request, which is served without telemetry: ${String(error)}`);
    }
    if (inFlight === undefined) return emit.call(server, 'request', ...args);
    try {
      return otelContext.with(inFlight.context, emit, server, 'request', ...args);
    } catch (error) {
      recordError(error, inFlight.span);
      this.#end(inFlight, response);
      throw error;
    }
  }

  #start(request: IncomingMessage, response: ServerResponse, scheme: string): InFlightRequest {
    const method = normalizeMethod(request.method);
    const parent = this.#carriesContext(request) ? propagation.extract(EMPTY_LINKED_CONTEXT, request.headers) : EMPTY_LINKED_CONTEXT;
    const forSampler = this.#options.samplerReadsAttributes === false ? undefined : startAttributes(request, scheme, method);
    const options = forSampler === undefined ? SERVER_SPAN : { kind: SpanKind.SERVER, attributes: forSampler };
    const span = this.#tracer.startSpan(method === OTHER_METHOD ? 'HTTP' : method, options, parent);
    if (span.isRecording()) {
      if (forSampler === undefined) span.setAttributes(startAttributes(request, scheme, method));
      span.setAttributes(detailAttributes(request, scheme));
    }
    const inFlight = new InFlightRequest(this.#options.registry, method, span, parent);
    // Added before the streams are bound: the end needs no context of its own.
    response.on('close', () => this.#end(inFlight, response));
    bindListeners(request, inFlight);
    bindListeners(response, inFlight);
    this.#inFlight.set(method, (this.#inFlight.get(method) ?? 0) + 1);
    return inFlight;
  }

  #carriesContext(request: IncomingMessage): boolean {
    const names = this.#options.contextHeaders;
    if (names === undefined) return true;
    const { headers } = request;
    for (const name of names) if (headers[name] !== undefined) return true;
    return false;
  }

  #end(inFlight: InFlightRequest, response: ServerResponse): void {
    if (inFlight.ended) return;
    inFlight.ended = true;
    try {
      const { method, span, metadata } = inFlight;
      this.#inFlight.set(method, this.#inFlight.get(method)! - 1);
      const statusCode = response.headersSent ? response.statusCode : undefined;
      const route = inFlight.route();
      if (!inFlight.ignored) {
        const { started, context, unmatchedRoute } = inFlight;
        observeRequestDuration(this.#duration, this.#options.registry.tenantLabels, { method, route: route ?? unmatchedRoute ?? '', statusCode, started, context });
      }
      if (span.isRecording()) {
        if (statusCode !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
        if (statusCode !== undefined && statusCode >= 500) {
          span.setAttribute(ATTR_ERROR_TYPE, String(statusCode));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        if (route !== undefined) nameServerSpan(span, method, route);
      }
      settleRoute(metadata, method, route);
      span.end();
    } catch (error) {
      warn(`sightline: the HTTP server instrumentation could not record a request: ${String(error)}`);
    }
  }
}
