/**
 * Turns the bytes of an OTLP export request into a decoded message, for each
 * signal: protobuf through protobufjs and the official opentelemetry-proto
 * definitions shipped in this package (`protos/`), or OTLP/JSON. Failures are
 * `OtlpRequestError`s that say what was wrong.
 */
import { fileURLToPath } from 'node:url';
import { OtlpRequestError } from 'sightline/errors';
import protobuf from 'protobufjs';

/** The three OTLP signals. */
export type Signal = 'traces' | 'logs' | 'metrics';

/** The fully qualified names of each signal's collector service, request and response messages. */
export const SIGNAL_SERVICES: Readonly<Record<Signal, { readonly proto: string; readonly service: string; readonly request: string; readonly response: string }>> = {
  traces: {
    proto: 'opentelemetry/proto/collector/trace/v1/trace_service.proto',
    service: 'opentelemetry.proto.collector.trace.v1.TraceService',
    request: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
    response: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse',
  },
  logs: {
    proto: 'opentelemetry/proto/collector/logs/v1/logs_service.proto',
    service: 'opentelemetry.proto.collector.logs.v1.LogsService',
    request: 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
    response: 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse',
  },
  metrics: {
    proto: 'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
    service: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
    request: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
    response: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse',
  },
};

/** Where the shipped .proto files are (the same path from `src/` and from `dist/`). */
export const PROTOS_DIR = fileURLToPath(new URL('../../../protos/', import.meta.url));

let root: protobuf.Root | undefined;

function protoRoot(): protobuf.Root {
  if (root === undefined) {
    const loaded = new protobuf.Root();
    loaded.resolvePath = (_origin, target) => `${PROTOS_DIR}${target}`;
    loaded.loadSync(Object.values(SIGNAL_SERVICES).map((names) => names.proto));
    root = loaded;
  }
  return root;
}

/** Decodes a protobuf export request; a truncated or malformed one is a 400 naming the problem. */
export function decodeProtobuf(signal: Signal, bytes: Uint8Array): unknown {
  const type = protoRoot().lookupType(SIGNAL_SERVICES[signal].request);
  let message: protobuf.Message;
  try {
    message = type.decode(bytes);
  } catch (error) {
    throw new OtlpRequestError(400, `Not a valid protobuf ${type.name}: ${error instanceof Error ? error.message : String(error)}.`, { cause: error });
  }
  return type.toObject(message, { longs: String, enums: Number });
}

/** The encoded empty response of a signal's Export call. */
export function emptyResponse(signal: Signal): Uint8Array {
  return protoRoot().lookupType(SIGNAL_SERVICES[signal].response).encode({}).finish();
}

/** Parses an OTLP/JSON export request; bad JSON is a 400. */
export function decodeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
  } catch (error) {
    throw new OtlpRequestError(400, `Not valid JSON: ${error instanceof Error ? error.message : String(error)}.`, { cause: error });
  }
}
