/**
 * A standalone HTTP server for `/metrics`, for services that do not want
 * the endpoint on their application port (the OpenTelemetry Prometheus
 * exporter's convention: 0.0.0.0:9464). Started explicitly; nothing listens
 * until {@link startMetricsServer} is called.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricsServerStartError } from '../errors.ts';
import { firstSet, resolveValue } from '../telemetry/config/env.ts';
import type { Env } from '../telemetry/config/env.ts';
import { asInteger, asNonEmptyString, asUrlPath } from '../telemetry/config/validate.ts';
import { createMetricsHandler } from './metrics-handler.ts';
import type { MetricsRegistry } from './registry.ts';

/** Options of {@link startMetricsServer}; each overrides its environment variable. */
export interface MetricsServerOptions {
  /** Interface to listen on. Env: `OTEL_EXPORTER_PROMETHEUS_HOST`. Default `0.0.0.0`. */
  readonly host?: string | undefined;
  /** Port to listen on; 0 picks a free one. Env: `OTEL_EXPORTER_PROMETHEUS_PORT`. Default 9464. */
  readonly port?: number | undefined;
  /** Path that serves the metrics; every other path is 404. Default `/metrics`. */
  readonly path?: string | undefined;
  /** Require `Authorization: Bearer <token>` (see `createMetricsHandler`). */
  readonly bearerToken?: string | undefined;
}

/** A running metrics server. */
export interface MetricsServer extends AsyncDisposable {
  /** The scrape URL, e.g. `http://0.0.0.0:9464/metrics`. */
  readonly url: string;
  /** The interface listened on. */
  readonly host: string;
  /** The port listened on (the real one when 0 was asked for). */
  readonly port: number;
  /** Stops listening and closes open connections. Idempotent: later calls return the same promise. */
  close(): Promise<void>;
}

/** The default scrape port of the OpenTelemetry Prometheus exporter. */
export const DEFAULT_METRICS_PORT = 9464;

/**
 * Starts an HTTP server that serves `registry` at `path`.
 *
 * @throws {InvalidConfigError} for a bad host, port, path or token (from an option or the environment).
 * @throws {MetricsServerStartError} when the server cannot listen (port in use, no such interface).
 */
export async function startMetricsServer(
  registry: MetricsRegistry,
  options: MetricsServerOptions = {},
  env: Env = process.env,
): Promise<MetricsServer> {
  const { host, port, path } = resolveEndpoint(options, env);
  const handler = createMetricsHandler(registry, { bearerToken: options.bearerToken });
  const server = createServer((req, res) => {
    const requestPath = (req.url ?? '/').split('?', 1)[0];
    if (requestPath === path) {
      handler(req, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`Not found: metrics are served at ${path}.\n`);
  });
  await listen(server, host, port);
  const bound = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };
  return Object.freeze({
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}${path}`,
    host,
    port: bound,
    close,
    [Symbol.asyncDispose]: close,
  });
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(new MetricsServerStartError(host, port, error));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Host, port and path from the options, then `OTEL_EXPORTER_PROMETHEUS_HOST`/`_PORT`, then the defaults. */
function resolveEndpoint(options: MetricsServerOptions, env: Env): { host: string; port: number; path: string } {
  const host = resolveValue(firstSet('metrics.host', options.host, env, ['OTEL_EXPORTER_PROMETHEUS_HOST']), asNonEmptyString, '0.0.0.0');
  const port = resolveValue(
    firstSet('metrics.port', options.port, env, ['OTEL_EXPORTER_PROMETHEUS_PORT']),
    (candidate) => asInteger(candidate, { min: 0, max: 65_535 }),
    DEFAULT_METRICS_PORT,
  );
  const path = resolveValue(firstSet('metrics.path', options.path, {}), asUrlPath, '/metrics');
  return { host, port, path };
}
