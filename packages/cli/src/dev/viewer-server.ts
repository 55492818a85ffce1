import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeTraceRequest, OtlpJsonError } from './otlp-json.ts';
import type { ViewerSpan } from './otlp-json.ts';
import { renderTraceDetail, renderTraceList } from './trace-html.ts';
import { TraceStore } from './trace-store.ts';
import type { TraceStoreLimits } from './trace-store.ts';

/** Options of {@link startTraceViewer}. */
export interface TraceViewerOptions {
  /** Address to listen on. Default `127.0.0.1`: the viewer is for this machine only. */
  readonly host?: string;
  /** Port; 4318 (the OTLP/HTTP port) by default, 0 for any free port. */
  readonly port?: number;
  /** Memory bounds of the trace store. */
  readonly limits?: TraceStoreLimits;
  /** Called with the spans of each accepted export request. */
  readonly onSpans?: (spans: readonly ViewerSpan[]) => void;
}

/** A running trace viewer. */
export interface TraceViewer extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:4318`; exporters send to `${url}/v1/traces`. */
  readonly url: string;
  readonly port: number;
  readonly store: TraceStore;
  /** Stops listening; idempotent. */
  close(): Promise<void>;
}

/** Largest export request accepted, in bytes. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Starts a local trace viewer: an OTLP/HTTP JSON receiver that keeps recent
 * traces in memory and shows them as web pages, with no Docker and no
 * collector. Point a service at it with
 * `OTEL_EXPORTER_OTLP_PROTOCOL=http/json OTEL_EXPORTER_OTLP_ENDPOINT=<url>`.
 */
export async function startTraceViewer(options: TraceViewerOptions = {}): Promise<TraceViewer> {
  const store = new TraceStore(options.limits);
  const server = createServer((request, response) => {
    handle(request, response, store, options.onSpans).catch((error: unknown) => {
      send(response, 500, 'text/plain', `trace viewer failed: ${String(error)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4318, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  return { url: `http://${host}:${port}`, port, store, close, [Symbol.asyncDispose]: close };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  store: TraceStore,
  onSpans: ((spans: readonly ViewerSpan[]) => void) | undefined,
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://viewer').pathname;
  if (request.method === 'POST' && path === '/v1/traces') {
    const contentType = request.headers['content-type'] ?? '';
    if (!contentType.startsWith('application/json')) {
      request.resume();
      send(response, 415, 'text/plain', 'The trace viewer accepts OTLP/HTTP JSON only: set OTEL_EXPORTER_OTLP_PROTOCOL=http/json.\n');
      return;
    }
    const body = await readBody(request);
    if (body === undefined) {
      send(response, 413, 'text/plain', `Export requests are limited to ${MAX_BODY_BYTES} bytes.\n`);
      return;
    }
    let spans: ViewerSpan[];
    try {
      spans = decodeTraceRequest(JSON.parse(body.toString('utf8')));
    } catch (error) {
      if (!(error instanceof OtlpJsonError || error instanceof SyntaxError)) throw error;
      send(response, 400, 'application/json', JSON.stringify({ code: 3, message: error.message }));
      return;
    }
    store.add(spans);
    onSpans?.(spans);
    send(response, 200, 'application/json', '{}');
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(response, 405, 'text/plain', 'Method not allowed.\n');
    return;
  }
  if (path === '/') {
    send(response, 200, 'text/html; charset=utf-8', renderTraceList(store.list()));
    return;
  }
  if (path === '/api/traces') {
    const json = JSON.stringify(store.list(), (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
    send(response, 200, 'application/json', json);
    return;
  }
  const match = /^\/traces\/([0-9a-f]{32})$/.exec(path);
  const trace = match?.[1] === undefined ? undefined : store.get(match[1]);
  if (trace) {
    send(response, 200, 'text/html; charset=utf-8', renderTraceDetail(trace));
    return;
  }
  send(response, 404, 'text/plain', 'Not found. The trace list is at /.\n');
}

/** Reads the whole body, or returns undefined when it exceeds the limit. */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
