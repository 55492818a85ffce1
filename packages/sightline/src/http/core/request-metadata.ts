/**
 * The per-request RPC metadata that a server instrumentation keeps in the
 * request's context (`@opentelemetry/core`'s `RPC_METADATA_KEY`): the server
 * span, and the route a framework instrumentation (Express's) writes there.
 *
 * Sightline's own server instrumentation (telemetry's, for `node:http`)
 * adds a {@link MeasuredRequest} to it: the request is already counted,
 * timed and recorded there, so the middleware only hands over what only it
 * knows (the tenant's context and the route) and records nothing itself.
 * Under another SDK's instrumentation (plain OpenTelemetry's) there is none,
 * and the middleware records the request itself.
 */
import { createContextKey } from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';
import type { MetricsRegistry } from '../../metrics/registry.ts';
import { OTHER_METHOD } from './method.ts';

/**
 * The key under which server instrumentations keep the request's RPC
 * metadata (`@opentelemetry/core`'s `RPC_METADATA_KEY`; context keys are
 * registered symbols, so the API recreates it).
 */
export const RPC_METADATA_KEY = createContextKey('OpenTelemetry SDK Context Key RPC_METADATA');

const MEASURED = Symbol.for('sightline.http.measuredRequest');

/** What the middleware tells Sightline's server instrumentation about a request it measures. */
export interface MeasuredRequest {
  /** The registry the request is recorded in. */
  readonly registry: MetricsRegistry;
  /** The context the request's stream listeners run in and its duration is recorded in; the middleware adds the tenant. */
  context: Context;
  /**
   * Set by a middleware: the route template of the request, read when it
   * ends (`undefined`: unmatched). Without a middleware the route is what a
   * framework instrumentation wrote into the metadata.
   */
  routeOf: (() => string | undefined) | undefined;
  /** Set by a middleware: the route label of a request that matched no route. */
  unmatchedRoute: string | undefined;
  /** Set by a middleware whose `ignorePaths` match the request: it is left out of the metrics. */
  ignored: boolean;
}

/** The RPC metadata a server instrumentation keeps for a request (`@opentelemetry/core`'s `HTTPMetadata`). */
export interface HttpRpcMetadata {
  readonly type: 'http';
  readonly span: Span;
  route?: string | undefined;
  [MEASURED]?: MeasuredRequest;
}

/** The metadata of the request in `context`, when a server instrumentation made a server span. */
export function httpRpcMetadataOf(context: Context): HttpRpcMetadata | undefined {
  const metadata = context.getValue(RPC_METADATA_KEY) as Partial<HttpRpcMetadata> | undefined;
  return metadata?.type === 'http' && metadata.span !== undefined ? (metadata as HttpRpcMetadata) : undefined;
}

/** Metadata for a request that Sightline's server instrumentation measures. */
export function measuredRpcMetadata(span: Span, measured: MeasuredRequest): HttpRpcMetadata {
  return { type: 'http', span, route: undefined, [MEASURED]: measured };
}

/** What Sightline's server instrumentation measures of the request, when it does. */
export function measuredRequestOf(metadata: HttpRpcMetadata | undefined): MeasuredRequest | undefined {
  return metadata?.[MEASURED];
}

/** Leaves the request's final route in its metadata, for whatever reads it after the request; a request of an unknown method (`_OTHER`) gets none. */
export function settleRoute(metadata: HttpRpcMetadata, method: string, route: string | undefined): void {
  metadata.route = method === OTHER_METHOD ? undefined : route;
}
