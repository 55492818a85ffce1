/**
 * OTLP metrics receivers for tests, one per protocol: gRPC
 * (`opentelemetry.proto.collector.metrics.v1.MetricsService`) and HTTP
 * (`POST /v1/metrics`, `application/x-protobuf` or `application/json`). Both
 * decode the bytes really sent with the official .proto files
 * ($SIGHTLINE_OTLP_PROTOS); `latest()` is the last push, by metric name.
 */
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';

export type OtlpMetricsProtocol = 'grpc' | 'http/protobuf' | 'http/json';

interface WireValue {
  readonly stringValue?: string;
}

/** A data point as decoded (protobufjs and proto-loader objects, or OTLP/JSON). */
export interface WirePoint {
  readonly attributes?: readonly { key: string; value?: WireValue }[];
  readonly count?: string | number;
  readonly asDouble?: number;
  readonly asInt?: string | number;
  readonly exemplars?: readonly { readonly traceId?: Uint8Array | string }[];
}

/** A metric as decoded. */
export interface WireMetric {
  readonly name: string;
  readonly unit?: string;
  readonly histogram?: { readonly dataPoints?: readonly WirePoint[] };
  readonly sum?: { readonly dataPoints?: readonly WirePoint[] };
}

interface ExportRequest {
  readonly resourceMetrics?: readonly { readonly scopeMetrics?: readonly { readonly metrics?: readonly WireMetric[] }[] }[];
}

export interface OtlpMetricsReceiver {
  /** What to put in `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`. */
  readonly endpoint: string;
  /** The metrics of the last push, by name. */
  latest(): ReadonlyMap<string, WireMetric>;
  close(): Promise<void>;
}

const METRICS_SERVICE_PROTO = 'opentelemetry/proto/collector/metrics/v1/metrics_service.proto';

/** The string value of attribute `key` of `point`. */
export function attributeOf(point: WirePoint, key: string): string | undefined {
  return point.attributes?.find((a) => a.key === key)?.value?.stringValue;
}

/** Starts a receiver for `protocol` on 127.0.0.1. */
export function startMetricsReceiver(protocol: OtlpMetricsProtocol): Promise<OtlpMetricsReceiver> {
  return protocol === 'grpc' ? startGrpcReceiver() : startHttpReceiver();
}

function protosDir(): string {
  const dir = process.env['SIGHTLINE_OTLP_PROTOS'];
  if (dir === undefined || dir === '') throw new Error('SIGHTLINE_OTLP_PROTOS is not set: run the tests with `bash scripts/test.sh`');
  return dir;
}

class LatestPush {
  #latest = new Map<string, WireMetric>();

  add(request: ExportRequest): void {
    const metrics = new Map<string, WireMetric>();
    for (const resource of request.resourceMetrics ?? []) {
      for (const scope of resource.scopeMetrics ?? []) for (const metric of scope.metrics ?? []) metrics.set(metric.name, metric);
    }
    this.#latest = metrics;
  }

  get(): ReadonlyMap<string, WireMetric> {
    return this.#latest;
  }
}

interface GrpcPackage {
  readonly opentelemetry: {
    readonly proto: { readonly collector: { readonly metrics: { readonly v1: { readonly MetricsService: grpc.ServiceClientConstructor } } } };
  };
}

async function startGrpcReceiver(): Promise<OtlpMetricsReceiver> {
  const definition = await protoLoader.load(METRICS_SERVICE_PROTO, { includeDirs: [protosDir()], longs: String, enums: Number, defaults: false, oneofs: true });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as GrpcPackage;
  const push = new LatestPush();
  const server = new grpc.Server();
  server.addService(loaded.opentelemetry.proto.collector.metrics.v1.MetricsService.service, {
    Export: (call: grpc.ServerUnaryCall<ExportRequest, object>, callback: grpc.sendUnaryData<object>) => {
      push.add(call.request);
      callback(null, {});
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error === null ? resolve(bound) : reject(error)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    latest: () => push.get(),
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

async function startHttpReceiver(): Promise<OtlpMetricsReceiver> {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(protosDir(), target);
  await root.load(METRICS_SERVICE_PROTO, { keepCase: false });
  const requestType = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
  const push = new LatestPush();
  const read = async (request: IncomingMessage): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const server = createServer((request, response) => {
    void read(request).then((body) => {
      const contentType = request.headers['content-type'] ?? '';
      const decoded: unknown = contentType.startsWith('application/json')
        ? JSON.parse(body.toString('utf8'))
        : requestType.toObject(requestType.decode(body), { longs: String, oneofs: true });
      push.add(decoded as ExportRequest);
      response.writeHead(200, { 'content-type': contentType || 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/v1/metrics`,
    latest: () => push.get(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
