/**
 * The `/metrics` request handler: a plain node:http `(req, res)` function,
 * so it mounts in node:http, Express, Fastify (`reply.raw`), Hono's node
 * server or anything else that exposes Node's request and response.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { diag } from '@opentelemetry/api';
import { bearerTokenCheck } from './bearer-token.ts';
import type { TokenCheck } from './bearer-token.ts';
import { catalogue } from './catalogue.ts';
import { negotiateFormat } from './content-negotiation.ts';
import type { MetricsRegistry } from './registry.ts';

/** Options of {@link createMetricsHandler}. */
export interface MetricsHandlerOptions {
  /**
   * When set, a scrape must send `Authorization: Bearer <token>`; a missing
   * or wrong token gets 401 with `WWW-Authenticate: Bearer`. Compared in
   * constant time.
   */
  readonly bearerToken?: string | undefined;
}

/** A node:http request handler. It never throws and never rejects. */
export type MetricsRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Creates the handler that serves `registry`: GET and HEAD only (405
 * otherwise), the optional bearer token, OpenMetrics with exemplars when the
 * `Accept` header asks for it and the classic text format otherwise. A
 * render that fails is answered with 500 and counted in
 * `sightline_metrics_scrape_errors_total`.
 *
 * @throws {InvalidConfigError} when `bearerToken` is set but empty.
 */
export function createMetricsHandler(registry: MetricsRegistry, options: MetricsHandlerOptions = {}): MetricsRequestHandler {
  const tokenCheck = options.bearerToken === undefined ? undefined : bearerTokenCheck(options.bearerToken);
  const scrapeErrors = registry.counter(catalogue.metricsScrapeErrors);
  registry.markRead();
  return (req, res) => {
    serve(registry, tokenCheck, req, res).catch((error: unknown) => {
      scrapeErrors.inc({});
      diag.error('sightline: rendering metrics failed; answered 500', error);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Rendering metrics failed; see the service log.\n');
      } else {
        res.destroy();
      }
    });
  };
}

async function serve(
  registry: MetricsRegistry,
  tokenCheck: TokenCheck | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    res.end('Method not allowed: use GET or HEAD.\n');
    return;
  }
  if (tokenCheck !== undefined && !tokenCheck(req.headers.authorization)) {
    res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain; charset=utf-8' });
    res.end('Unauthorized: send Authorization: Bearer <token>.\n');
    return;
  }
  const format = negotiateFormat(req.headers.accept);
  const body = await registry.render(format);
  res.writeHead(200, {
    'content-type': registry.contentType(format),
    'content-length': Buffer.byteLength(body),
    vary: 'Accept',
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
