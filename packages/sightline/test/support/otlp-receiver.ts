/**
 * OTLP trace receivers for tests: a gRPC server implementing
 * `opentelemetry.proto.collector.trace.v1.TraceService` and an HTTP server
 * accepting `POST /v1/traces` as `application/x-protobuf` or
 * `application/json`. Both decode the bytes really sent with the official
 * .proto files ($SIGHTLINE_OTLP_PROTOS) and collect every span with its
 * resource attributes. Each receiver is `await using` disposable.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';

export type ReceivedSpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type ReceivedStatus = 'unset' | 'ok' | 'error';

/** A span as the collector saw it, ids in lowercase hex. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Empty for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: ReceivedSpanKind;
  readonly status: ReceivedStatus;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly resource: Readonly<Record<string, unknown>>;
  readonly scope: string;
}

/** One export request as received. */
export interface ReceivedRequest {
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly spanCount: number;
}

export interface OtlpReceiver extends AsyncDisposable {
  readonly port: number;
  /** What to put in `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` / `traces.endpoint`. */
  readonly endpoint: string;
  readonly requests: readonly ReceivedRequest[];
  spans(): ReceivedSpan[];
  /** Resolves with all spans once at least `count` arrived; rejects after `timeoutMillis` (default 30 s). */
  waitForSpans(count: number, timeoutMillis?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  readonly port?: number;
}

const KINDS: readonly ReceivedSpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUSES: readonly ReceivedStatus[] = ['unset', 'ok', 'error'];

function protosDir(): string {
  const dir = process.env['SIGHTLINE_OTLP_PROTOS'];
  if (dir === undefined || dir === '') {
    throw new Error('SIGHTLINE_OTLP_PROTOS is not set: run the tests with `bash scripts/test.sh`');
  }
  return dir;
}

const TRACE_SERVICE_PROTO = 'opentelemetry/proto/collector/trace/v1/trace_service.proto';

/** Starts a gRPC OTLP receiver on 127.0.0.1. */
export async function startGrpcReceiver(options: ReceiverOptions = {}): Promise<OtlpReceiver> {
  const definition = await protoLoader.load(TRACE_SERVICE_PROTO, {
    includeDirs: [protosDir()],
    longs: String,
    enums: Number,
    defaults: false,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as GrpcPackage;
  const collector = new Collector();
  const server = new grpc.Server();
  server.addService(loaded.opentelemetry.proto.collector.trace.v1.TraceService.service, {
    Export: (call: grpc.ServerUnaryCall<ExportRequest, object>, callback: grpc.sendUnaryData<object>) => {
      const headers = Object.fromEntries(
        Object.entries(call.metadata.getMap()).map(([key, value]) => [key, String(value)]),
      );
      collector.add(call.request, { contentType: 'application/grpc', headers });
      callback(null, {});
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (error, bound) => {
      if (error === null) resolve(bound);
      else reject(error);
    });
  });
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      server.tryShutdown(() => resolve());
    });
    return closed;
  };
  return collector.receiver(port, `http://127.0.0.1:${port}`, close);
}

/** Starts an HTTP OTLP receiver (`POST /v1/traces`, protobuf or JSON) on 127.0.0.1. */
export async function startHttpReceiver(options: ReceiverOptions = {}): Promise<OtlpReceiver> {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(protosDir(), target);
  await root.load(TRACE_SERVICE_PROTO, { keepCase: false });
  const requestType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
  const responseType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');
  const collector = new Collector();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST' || req.url !== '/v1/traces') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    const contentType = req.headers['content-type'] ?? '';
    const headers = Object.fromEntries(Object.entries(req.headers).map(([key, value]) => [key, String(value)]));
    if (contentType.startsWith('application/x-protobuf')) {
      const decoded = requestType.toObject(requestType.decode(body), { longs: String, enums: Number, oneofs: true });
      collector.add(decoded, { contentType, headers });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(responseType.encode({}).finish());
    } else if (contentType.startsWith('application/json')) {
      collector.add(JSON.parse(body.toString('utf8')) as ExportRequest, { contentType, headers });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    } else {
      res.writeHead(415).end();
    }
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(400).end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };
  return collector.receiver(port, `http://127.0.0.1:${port}/v1/traces`, close);
}

// The decoded request, as protobufjs/proto-loader objects or OTLP/JSON: ids are bytes or hex strings.
interface AnyValue {
  readonly stringValue?: string;
  readonly boolValue?: boolean;
  readonly intValue?: string | number;
  readonly doubleValue?: number;
  readonly arrayValue?: { readonly values?: readonly AnyValue[] };
  readonly kvlistValue?: { readonly values?: readonly KeyValue[] };
  readonly bytesValue?: Uint8Array | string;
}
interface KeyValue {
  readonly key: string;
  readonly value?: AnyValue;
}
interface WireSpan {
  readonly traceId: Uint8Array | string;
  readonly spanId: Uint8Array | string;
  readonly parentSpanId?: Uint8Array | string;
  readonly name: string;
  readonly kind?: number;
  readonly attributes?: readonly KeyValue[];
  readonly status?: { readonly code?: number };
}
interface ExportRequest {
  readonly resourceSpans?: readonly {
    readonly resource?: { readonly attributes?: readonly KeyValue[] };
    readonly scopeSpans?: readonly {
      readonly scope?: { readonly name?: string };
      readonly spans?: readonly WireSpan[];
    }[];
  }[];
}
interface GrpcPackage {
  readonly opentelemetry: {
    readonly proto: {
      readonly collector: { readonly trace: { readonly v1: { readonly TraceService: grpc.ServiceClientConstructor } } };
    };
  };
}

function hex(id: Uint8Array | string | undefined): string {
  if (id === undefined) return '';
  return typeof id === 'string' ? id.toLowerCase() : Buffer.from(id).toString('hex');
}

function anyValue(value: AnyValue | undefined): unknown {
  if (value === undefined) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(anyValue);
  if (value.kvlistValue !== undefined) return attributes(value.kvlistValue.values);
  if (value.bytesValue !== undefined) return hex(value.bytesValue);
  return undefined;
}

function attributes(list: readonly KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, anyValue(value)]));
}

class Collector {
  readonly #spans: ReceivedSpan[] = [];
  readonly #requests: ReceivedRequest[] = [];

  add(request: ExportRequest, meta: Omit<ReceivedRequest, 'spanCount'>): void {
    let spanCount = 0;
    for (const resourceSpans of request.resourceSpans ?? []) {
      const resource = attributes(resourceSpans.resource?.attributes);
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        const scope = scopeSpans.scope?.name ?? '';
        for (const span of scopeSpans.spans ?? []) {
          spanCount++;
          this.#spans.push({
            traceId: hex(span.traceId),
            spanId: hex(span.spanId),
            parentSpanId: hex(span.parentSpanId),
            name: span.name,
            kind: KINDS[span.kind ?? 0] ?? 'unspecified',
            status: STATUSES[span.status?.code ?? 0] ?? 'unset',
            attributes: attributes(span.attributes),
            resource,
            scope,
          });
        }
      }
    }
    this.#requests.push({ ...meta, spanCount });
  }

  receiver(port: number, endpoint: string, close: () => Promise<void>): OtlpReceiver {
    const spans = (): ReceivedSpan[] => [...this.#spans];
    return {
      port,
      endpoint,
      requests: this.#requests,
      spans,
      waitForSpans: async (count, timeoutMillis = 30_000) => {
        const deadline = Date.now() + timeoutMillis;
        while (this.#spans.length < count) {
          if (Date.now() > deadline) {
            throw new Error(`expected ${count} spans within ${timeoutMillis} ms, received ${this.#spans.length}`);
          }
          await delay(20);
        }
        return spans();
      },
      close,
      [Symbol.asyncDispose]: close,
    };
  }
}
