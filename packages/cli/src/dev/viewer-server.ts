/**
 * The local viewer: receives OTLP traces, logs and metrics (HTTP protobuf or
 * JSON on one port, gRPC on another), optionally scrapes `/metrics` URLs,
 * keeps what it got within fixed bounds, and serves the pages and the JSON
 * API. No Docker, no collector, no database.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PortInUseError } from 'sightline/errors';
import { answerApi, BadQuery, traceQueryFrom } from './api.ts';
import { Ingest } from './ingest.ts';
import type { ViewerLimits } from './ingest.ts';
import { LiveUpdates } from './live.ts';
import { summarizeMetrics } from './metrics-summary.ts';
import { startGrpcReceiver } from './otlp/grpc-receiver.ts';
import type { GrpcReceiver } from './otlp/grpc-receiver.ts';
import { receiveHttp, signalOfPath } from './otlp/http-receiver.ts';
import { renderMetricsBody, renderMetricsPage } from './pages/metrics-page.ts';
import { renderTraceListPage, renderTraceRows } from './pages/trace-list-page.ts';
import { renderLogRows, renderTracePage, renderTraceView } from './pages/trace-page.ts';
import { startScraping } from './scraper.ts';
import { queryTraces, summarize } from './trace-summary.ts';
import type { TraceQuery } from './trace-summary.ts';
import type { TraceStore } from './trace-store.ts';

/** Options of {@link startTraceViewer}. */
export interface TraceViewerOptions {
  /** Address to listen on. Default `127.0.0.1`: the viewer is for this machine only. */
  readonly host?: string;
  /** OTLP/HTTP and web port; 4318 (the OTLP/HTTP port) by default, 0 for any free port. */
  readonly port?: number;
  /** OTLP/gRPC port; 4317 by default (0 when `port` is 0), 0 for any free port, `false` for no gRPC receiver. */
  readonly grpcPort?: number | false;
  /** Memory bounds of what is kept, and the largest request accepted. */
  readonly limits?: ViewerLimits;
  /** Prometheus `/metrics` URLs to scrape into the metrics page. */
  readonly scrape?: { readonly urls: readonly string[]; readonly intervalMillis?: number; readonly onFailure?: (url: string, reason: string) => void };
}

/** A running viewer. */
export interface TraceViewer extends AsyncDisposable {
  /** Base URL of the pages and of OTLP/HTTP, e.g. `http://127.0.0.1:4318`; exporters send to `${url}/v1/traces`. */
  readonly url: string;
  readonly port: number;
  /** The OTLP/gRPC endpoint, e.g. `http://127.0.0.1:4317`, when the gRPC receiver runs. */
  readonly grpcUrl: string | undefined;
  /** Everything received, and the count of refused requests. */
  readonly ingest: Ingest;
  /** The traces (`ingest.traces`). */
  readonly store: TraceStore;
  /** Stops listening; idempotent. */
  close(): Promise<void>;
}

const ASSETS = new URL('../../assets/', import.meta.url);
const ASSET_TYPES: Readonly<Record<string, string>> = { 'viewer.css': 'text/css; charset=utf-8', 'viewer.js': 'text/javascript; charset=utf-8' };

/**
 * Starts the viewer. Rejects with `PortInUseError` when a port is taken;
 * once running, no request can stop it.
 */
export async function startTraceViewer(options: TraceViewerOptions = {}): Promise<TraceViewer> {
  const host = options.host ?? '127.0.0.1';
  const ingest = new Ingest(options.limits);
  const live = new LiveUpdates(ingest);
  const assets = new Map(await Promise.all(Object.keys(ASSET_TYPES).map(async (name) => [name, await readFile(new URL(name, ASSETS), 'utf8')] as const)));
  const server = createServer((request, response) => {
    handle(request, response, ingest, live, assets).catch((error: unknown) => {
      send(response, 500, 'text/plain', `The viewer failed on this request: ${String(error)}\n`);
    });
  });
  await listen(server, host, options.port ?? 4318);
  const { port } = server.address() as AddressInfo;
  let grpc: GrpcReceiver | undefined;
  try {
    const grpcPort = options.grpcPort ?? (options.port === 0 ? 0 : 4317);
    if (grpcPort !== false) {
      grpc = await startGrpcReceiver(host, grpcPort, ingest).catch((error: unknown) => {
        throw /No address added|EADDRINUSE/.test(String(error)) ? new PortInUseError('OTLP/gRPC', host, grpcPort, '--grpc-port', { cause: error }) : error;
      });
    }
  } catch (error) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  }
  const stopScraping = options.scrape === undefined ? () => undefined : startScraping(ingest, options.scrape);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      stopScraping();
      live.close();
      await Promise.all([
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
        grpc?.close(),
      ]);
    })());
  return {
    url: `http://${urlHost}:${port}`,
    port,
    grpcUrl: grpc === undefined ? undefined : `http://${urlHost}:${grpc.port}`,
    ingest,
    store: ingest.traces,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError('OTLP/HTTP and the pages', host, port, '--port', { cause: error }) : error);
    });
    server.listen(port, host, () => resolve());
  });
}

/** The list page's filters: those of the API, a bad one ignored (the form shows what applies). */
function pageQuery(params: URLSearchParams): TraceQuery {
  try {
    return traceQueryFrom(params);
  } catch (error) {
    if (error instanceof BadQuery) return {};
    throw error;
  }
}

async function handle(request: IncomingMessage, response: ServerResponse, ingest: Ingest, live: LiveUpdates, assets: ReadonlyMap<string, string>): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://viewer');
  const path = url.pathname;
  const signal = signalOfPath(path);
  if (signal !== undefined && request.method === 'POST') {
    await receiveHttp(request, response, signal, ingest);
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    request.resume();
    send(response, 405, 'text/plain', 'Method not allowed. OTLP goes to POST /v1/traces, /v1/logs or /v1/metrics.\n');
    return;
  }
  const fragment = url.searchParams.get('fragment');
  const html = (body: string): void => send(response, 200, 'text/html; charset=utf-8', body);
  if (path === '/api/live') {
    live.open(response);
    return;
  }
  const api = answerApi(path, url.searchParams, ingest);
  if (api !== undefined) {
    send(response, api.status, 'application/json', JSON.stringify(api.body));
    return;
  }
  const asset = /^\/assets\/([\w.-]+)$/.exec(path)?.[1];
  if (asset !== undefined && assets.has(asset)) {
    send(response, 200, ASSET_TYPES[asset] ?? 'text/plain', assets.get(asset) ?? '');
    return;
  }
  if (path === '/') {
    const query = pageQuery(url.searchParams);
    const traces = ingest.traces.list();
    const matching = queryTraces(traces, { ...query, limit: 200 });
    if (fragment === 'rows') return html(renderTraceRows(matching));
    const summaries = traces.map(summarize);
    const services = [...new Set(summaries.flatMap((trace) => trace.services))].sort();
    const tenants = [...new Set(summaries.flatMap((trace) => trace.tenant ?? []))].sort();
    return html(renderTraceListPage(matching, query, { services, tenants }));
  }
  if (path === '/metrics') {
    const summary = summarizeMetrics(ingest.metrics);
    return html(fragment === 'body' ? renderMetricsBody(summary) : renderMetricsPage(summary));
  }
  const traceId = /^\/traces\/([0-9a-fA-F]{32})$/.exec(path)?.[1]?.toLowerCase();
  const trace = traceId === undefined ? undefined : ingest.traces.get(traceId);
  if (trace) {
    const logs = (): ReturnType<Ingest['logs']['query']> => ingest.logs.query({ traceId: trace.traceId });
    if (fragment === 'view') return html(renderTraceView(trace));
    if (fragment === 'logs') return html(renderLogRows(logs()));
    return html(renderTracePage(trace, logs()));
  }
  send(response, 404, 'text/plain', traceId === undefined ? 'Not found. The trace list is at /.\n' : `No trace ${traceId} here (not received yet, or dropped to stay within --max-traces).\n`);
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
