/**
 * `sightline/http`: measures a plain `node:http` request handler. The
 * route template comes from a `route(request)` function you give (your
 * router knows it); without one every request is `unmatched`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context as otelContext, diag, SpanStatusCode, trace } from '@opentelemetry/api';
import { nodeRequestInput } from '../core/node-response.ts';
import { resolveHttpServerOptions } from '../core/options.ts';
import type { HttpServerOptions } from '../core/options.ts';
import { createHttpServerInstrumentation } from '../core/server-request.ts';
import { InvalidHttpOptionsError } from '../../errors.ts';

/** A `node:http` request listener; it may return a promise. */
export type NodeRequestHandler<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse> = (
  request: Req,
  response: Res,
) => unknown;

/** Options of {@link sightlineHttp}. */
export interface NodeHttpOptions<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse>
  extends HttpServerOptions<Req> {
  /**
   * The route template of a request (`/orders/:id`), or `undefined` when it
   * matched none. Called when the response ends, so a router that stores its
   * match on the request can be read. Default: every request is unmatched.
   */
  readonly route?: (request: Req) => string | undefined;
  /**
   * Called when the handler throws or its promise rejects (the error is
   * already recorded on the server span). Default: respond 500 when nothing
   * was sent yet, else close the connection.
   */
  readonly onError?: (error: unknown, request: Req, response: Res) => void;
}

/**
 * Wraps `handler` so each request is measured, runs in its tenant's
 * context, and names the server span after its route.
 *
 * @throws {InvalidHttpOptionsError} when an option is unusable.
 */
export function sightlineHttp<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse>(
  handler: NodeRequestHandler<Req, Res>,
  options: NodeHttpOptions<Req, Res>,
): (request: Req, response: Res) => void {
  if (typeof handler !== 'function') {
    throw new InvalidHttpOptionsError('handler', 'Expected `handler` to be a (request, response) => void function.');
  }
  const config = resolveHttpServerOptions(options);
  const route = options.route;
  const onError = options.onError ?? respondWithServerError;
  if (route !== undefined && typeof route !== 'function') {
    throw new InvalidHttpOptionsError('route', 'Expected `route` to be a function of the request returning its route template.');
  }
  if (typeof onError !== 'function') {
    throw new InvalidHttpOptionsError('onError', 'Expected `onError` to be a function (error, request, response).');
  }
  const instrumentation = createHttpServerInstrumentation(config);

  return (request, response) => {
    const scope = instrumentation.start(nodeRequestInput(request));
    const failed = (error: unknown): void => {
      recordOnActiveSpan(error);
      onError(error, request, response);
    };
    const run = (): void => {
      try {
        const result = handler(request, response);
        if (result instanceof Promise) result.catch(otelContext.bind(otelContext.active(), failed));
      } catch (error) {
        failed(error);
      }
    };
    if (scope === undefined) return run();
    scope.endWith(response, () => route?.(request));
    otelContext.with(scope.context, run);
  };
}

function recordOnActiveSpan(error: unknown): void {
  const span = trace.getActiveSpan();
  if (span === undefined) return;
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

function respondWithServerError(error: unknown, _request: IncomingMessage, response: ServerResponse): void {
  diag.debug('sightline: an HTTP handler failed; responding 500', error);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.statusCode = 500;
  response.end();
}

export type { HttpServerOptions } from '../core/options.ts';
export type { IdSource, HeaderIdSource, ClaimIdSource, FunctionIdSource } from '../core/id-source.ts';
