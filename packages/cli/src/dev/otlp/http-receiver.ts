/**
 * OTLP/HTTP: `POST /v1/traces`, `/v1/logs` and `/v1/metrics`, protobuf
 * (`application/x-protobuf`) or JSON (`application/json`), gzip or not.
 * Every refusal is a 400, 413 or 415 with the reason in an OTLP `Status`
 * body. A refused body (oversized, or of a type that is not read at all) is
 * read to its end and thrown away before the answer, for at most
 * {@link LINGER_MILLIS}, then the connection is closed: a client still
 * sending when the answer came would not see it, and one that reuses the
 * connection would find it reset.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { OtlpRequestError } from 'sightline/errors';
import { asRequestError } from '../ingest.ts';
import type { Ingest } from '../ingest.ts';
import { decodeJson, decodeProtobuf, emptyResponse } from './wire.ts';
import type { Signal } from './wire.ts';

const gunzipAsync = promisify(gunzip);

/** How long an oversized body is read and thrown away before the connection is cut. */
const LINGER_MILLIS = 60_000;


/** The signal an OTLP/HTTP path receives, if it is one. */
export function signalOfPath(path: string): Signal | undefined {
  const match = /^\/v1\/(traces|logs|metrics)$/.exec(path);
  return match?.[1] as Signal | undefined;
}

/** Handles one export request to the path of `signal`. */
export async function receiveHttp(request: IncomingMessage, response: ServerResponse, signal: Signal, ingest: Ingest): Promise<void> {
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const protobuf = contentType === 'application/x-protobuf' || contentType === 'application/protobuf';
  try {
    if (!protobuf && contentType !== 'application/json') {
      throw new OtlpRequestError(
        415,
        `Content-Type ${JSON.stringify(contentType)} is not OTLP: send application/x-protobuf (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf) or application/json (http/json).`,
      );
    }
    const body = await readBody(request, ingest.maxBodyBytes);
    ingest.accept(signal, protobuf ? decodeProtobuf(signal, body) : decodeJson(body));
  } catch (caught) {
    const error = asRequestError(caught);
    ingest.reject(error, signal, 'http');
    if (!(await drained(request))) return;
    const status = JSON.stringify({ code: 3, message: error.message });
    response.writeHead(error.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(status) }).end(status);
    return;
  }
  if (protobuf) {
    const bytes = emptyResponse(signal);
    response.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': bytes.length }).end(bytes);
  } else {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 }).end('{}');
  }
}

/** Reads what is left of a refused body and throws it away; false when it did not end within LINGER_MILLIS (the request is then destroyed). */
async function drained(request: IncomingMessage): Promise<boolean> {
  if (request.complete) return true;
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      request.destroy();
      resolve(false);
    }, LINGER_MILLIS);
    timer.unref();
    const done = (ended: boolean) => (): void => {
      clearTimeout(timer);
      resolve(ended);
    };
    request.once('end', done(true));
    request.once('error', done(false));
    request.resume();
  });
}

/** The request body, gunzipped when so encoded; 413 past `maxBytes` either way. */
async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = (what: string): OtlpRequestError =>
    new OtlpRequestError(413, `The ${what} is larger than ${maxBytes} bytes: export smaller batches (OTEL_BSP_MAX_EXPORT_BATCH_SIZE) or start the viewer with a larger --max-body-mb.`);
  // An oversized body is read to its end and thrown away before the 413 goes out (a client still
  // sending would see a reset instead of the answer), for at most LINGER_MILLIS; then the
  // connection is cut. Events rather than `for await`: leaving that loop early destroys the request.
  const body = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let oversized = Number(request.headers['content-length'] ?? 0) > maxBytes;
    const timer = setTimeout(() => {
      request.destroy();
      reject(tooLarge('request body'));
    }, LINGER_MILLIS);
    timer.unref();
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) oversized = true;
      if (!oversized) chunks.push(chunk);
    });
    request.once('end', () => {
      clearTimeout(timer);
      if (oversized) reject(tooLarge('request body'));
      else resolve(Buffer.concat(chunks));
    });
    request.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'identity') return body;
  if (encoding !== 'gzip') throw new OtlpRequestError(415, `Content-Encoding ${JSON.stringify(encoding)} is not supported: send gzip or no encoding.`);
  try {
    return await gunzipAsync(body, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge('gunzipped request body');
    throw new OtlpRequestError(400, `The body is not valid gzip: ${error instanceof Error ? error.message : String(error)}.`, { cause: error });
  }
}
