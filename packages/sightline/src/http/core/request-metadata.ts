/**
 * The HTTP instrumentation's per-request RPC metadata, shared by everything
 * that measures a server request, so that one request is counted once:
 *
 * - telemetry counts it in `http_server_active_requests` when the request
 *   starts (the instrumentation's response hook) and marks the metadata, so
 *   the middleware does not count it again;
 * - the middleware records `http_server_request_duration_seconds` itself
 *   (with the tenant and the route only it knows) and marks the metadata,
 *   so the instrumentation's own measurement of the request is left out.
 */
import { createContextKey } from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';

/**
 * The key under which OpenTelemetry's HTTP instrumentation keeps the request's
 * RPC metadata (`@opentelemetry/core`'s `RPC_METADATA_KEY`; context keys are
 * registered symbols, so the API recreates it).
 */
const RPC_METADATA_KEY = createContextKey('OpenTelemetry SDK Context Key RPC_METADATA');

const ACTIVE_COUNTED = Symbol.for('sightline.http.activeCounted');
const DURATION_RECORDED = Symbol.for('sightline.http.durationRecorded');

/** The RPC metadata the HTTP instrumentation keeps for a request (`@opentelemetry/core`'s `HTTPMetadata`). */
export interface HttpRpcMetadata {
  readonly type: 'http';
  readonly span: Span;
  route?: string | undefined;
  [ACTIVE_COUNTED]?: boolean;
  [DURATION_RECORDED]?: boolean;
}

/** The HTTP instrumentation's metadata of the request in `context`, when it made a server span. */
export function httpRpcMetadataOf(context: Context): HttpRpcMetadata | undefined {
  const metadata = context.getValue(RPC_METADATA_KEY) as Partial<HttpRpcMetadata> | undefined;
  return metadata?.type === 'http' && metadata.span !== undefined ? (metadata as HttpRpcMetadata) : undefined;
}

/** Telemetry counts the request as active. */
export function markActiveCounted(metadata: HttpRpcMetadata): void {
  metadata[ACTIVE_COUNTED] = true;
}

/** Whether telemetry already counts the request as active. */
export function isActiveCounted(metadata: HttpRpcMetadata | undefined): boolean {
  return metadata?.[ACTIVE_COUNTED] === true;
}

/** The middleware records the request's duration. */
export function markDurationRecorded(metadata: HttpRpcMetadata): void {
  metadata[DURATION_RECORDED] = true;
}

/** Whether the middleware records the duration of the request in `context`. */
export function isDurationRecorded(context: Context): boolean {
  return httpRpcMetadataOf(context)?.[DURATION_RECORDED] === true;
}
