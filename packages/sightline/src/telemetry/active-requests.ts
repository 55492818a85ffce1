/**
 * `http_server_active_requests` without middleware: the HTTP
 * instrumentation's response hook runs when a server request starts, counts
 * it, and a `close` listener (emitted whether the response finished or the
 * client went away) counts it out. The request's metadata is marked so the
 * middleware, when there is one, does not count it again.
 */
import type { ServerResponse } from 'node:http';
import { context } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { normalizeMethod } from '../http/core/method.ts';
import { httpRpcMetadataOf, markActiveCounted } from '../http/core/request-metadata.ts';
import { catalogue } from '../metrics/catalogue.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';

/** The HTTP instrumentation's `responseHook`: counts each server request while it is active. */
export function activeRequestsHook(registry: MetricsRegistry): (span: Span, response: unknown) => void {
  const active = registry.gauge(catalogue.httpServerActiveRequests);
  return (_span, response) => {
    if (!isServerResponse(response)) return;
    const metadata = httpRpcMetadataOf(context.active());
    if (metadata !== undefined) markActiveCounted(metadata);
    const labels = { http_request_method: normalizeMethod(response.req.method) };
    active.inc(labels);
    response.once('close', () => active.dec(labels));
  };
}

/** A server response (an outgoing request's response is an IncomingMessage, which has no writeHead). */
function isServerResponse(response: unknown): response is ServerResponse {
  return typeof (response as Partial<ServerResponse> | null)?.writeHead === 'function' && typeof (response as ServerResponse).req === 'object';
}
