/**
 * CLIENT spans for outgoing HTTP calls made by hand (auto-instrumentation
 * covers node:http and undici; use this for other clients or to add
 * attributes). Follows the HTTP client semantic conventions.
 */
import { context, propagation, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
  HTTP_REQUEST_METHOD_VALUE_OTHER,
} from './stable-semconv.ts';
import { settle } from './span-result.ts';
import type { SpanResult } from './span-result.ts';
import { redactUrl } from './url-redaction.ts';
import { withSpan } from './with-span.ts';

/** Describes the outgoing request. */
export interface HttpClientSpanOptions {
  /** HTTP method, any case. Unknown methods are recorded as `_OTHER` (and the span named `HTTP`). */
  readonly method: string;
  /** Absolute request URL; credentials, query string and fragment are stripped before recording. */
  readonly url: string | URL;
  /** Extra attributes for the span. */
  readonly attributes?: Attributes;
  /** Responses with a status at or above this make the span an error (`error.type` = the status). Default 500. */
  readonly errorStatusFrom?: number;
}

/** What the function given to {@link withHttpClientSpan} receives. */
export interface HttpClientRequestContext {
  /**
   * Headers to send with the request: trace context (`traceparent`,
   * `tracestate`) and allow-listed `baggage`, as the global propagator writes them.
   */
  readonly headers: Record<string, string>;
  /** The client span (already active). */
  readonly span: Span;
  /** Records the response status when the function's result does not carry it as `status`/`statusCode`. */
  readonly setStatusCode: (statusCode: number) => void;
}

const KNOWN_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE']);

function statusCodeOf(result: unknown): number | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const { status, statusCode } = result as { status?: unknown; statusCode?: unknown };
  if (typeof status === 'number') return status;
  if (typeof statusCode === 'number') return statusCode;
  return undefined;
}

/**
 * Runs `fn` in a CLIENT span named after the method (`GET`) with
 * `http.request.method`, `url.full` (redacted), `server.address` and
 * `server.port`. `fn` gets the headers to send (trace context injected) and
 * returns the response: a `status` or `statusCode` number on it becomes
 * `http.response.status_code` (or call `setStatusCode`). A status at or
 * above `errorStatusFrom` (default 500) sets status ERROR and `error.type`
 * to the code; a thrown error is recorded as by `withSpan`.
 */
export function withHttpClientSpan<T>(
  options: HttpClientSpanOptions,
  fn: (request: HttpClientRequestContext) => T,
): SpanResult<T> {
  const upper = options.method.toUpperCase();
  const known = KNOWN_METHODS.has(upper);
  const url = redactUrl(options.url);
  const errorStatusFrom = options.errorStatusFrom ?? 500;
  const attributes: Attributes = {
    ...options.attributes,
    [ATTR_HTTP_REQUEST_METHOD]: known ? upper : HTTP_REQUEST_METHOD_VALUE_OTHER,
    ...(!known && { [ATTR_HTTP_REQUEST_METHOD_ORIGINAL]: options.method }),
    ...(url !== undefined && { [ATTR_URL_FULL]: url.full, [ATTR_SERVER_ADDRESS]: url.address }),
    ...(url?.port !== undefined && { [ATTR_SERVER_PORT]: url.port }),
  };

  return withSpan(known ? upper : 'HTTP', { kind: SpanKind.CLIENT, attributes }, (span) => {
    const headers: Record<string, string> = {};
    propagation.inject(context.active(), headers);
    const setStatusCode = (statusCode: number): void => {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
      if (statusCode >= errorStatusFrom) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute(ATTR_ERROR_TYPE, String(statusCode));
      }
    };
    return settle(
      () => fn({ headers, span, setStatusCode }),
      (response) => {
        const statusCode = statusCodeOf(response);
        if (statusCode !== undefined) setStatusCode(statusCode);
      },
      () => undefined,
    );
  }) as SpanResult<T>;
}
