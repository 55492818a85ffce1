/**
 * The OTLP/gRPC span exporter: OpenTelemetry's configuration, serializer,
 * export delegate and self-metrics, over a gRPC transport of Sightline's own
 * that resumes the moment a collector is back.
 *
 * OpenTelemetry's gRPC transport keeps one `@grpc/grpc-js` client for ever
 * and passes it no channel options. When the collector goes away, grpc-js
 * backs off between reconnect attempts (1 s, x1.6, up to 120 s, shared by
 * every client of the process through the global subchannel pool), and
 * every export meanwhile fails at once with UNAVAILABLE: after a long outage
 * the spans of the seconds after the collector's return are lost too. This
 * transport drops its client after an UNAVAILABLE export and dials afresh on
 * the next one, on a subchannel of its own, so the first export after the
 * collector's return connects; the reconnect backoff of a client that stays
 * is capped at {@link MAX_RECONNECT_BACKOFF_MS}.
 */
import * as grpc from '@grpc/grpc-js';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { createOtlpNetworkExportDelegate, OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import type { CompressionAlgorithm, ExportResponse, IExporterTransport, OtlpSharedConfiguration } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyOtlpGrpcOptions, createOtlpGrpcExporterMetrics } from '@opentelemetry/otlp-grpc-exporter-base';
import { ProtobufTraceSerializer, TraceExporterMetricsHelper } from '@opentelemetry/otlp-transformer';

/** The settings OpenTelemetry's `OTLPTraceExporter` (gRPC) takes; the environment fills the rest, as it does for that exporter. */
export interface GrpcSpanExporterOptions {
  readonly url: string;
  readonly timeoutMillis: number;
  readonly compression: CompressionAlgorithm;
  readonly metadata: grpc.Metadata;
}

const SERVICE_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const COMPONENT_TYPE = 'otlp_grpc_span_exporter';
const USER_AGENT = 'sightline OTel-OTLP-Exporter-JavaScript';
/** Cap of grpc-js's reconnect backoff for a client that keeps its connection attempts going. */
const MAX_RECONNECT_BACKOFF_MS = 1000;
const INITIAL_RECONNECT_BACKOFF_MS = 100;
const COMPRESSION_GZIP = 2;
const COMPRESSION_NONE = 0;

const passThrough = (bytes: Buffer): Buffer => bytes;

interface TransportParameters {
  readonly address: string;
  readonly credentials: () => grpc.ChannelCredentials;
  readonly metadata: () => grpc.Metadata;
  readonly compression: OtlpSharedConfiguration['compression'];
}

/** One unary `TraceService/Export` call per batch (bytes already serialized); the client is replaced after UNAVAILABLE. */
class ReconnectingGrpcTransport implements IExporterTransport {
  readonly #parameters: TransportParameters;
  #client: grpc.Client | undefined;

  constructor(parameters: TransportParameters) {
    this.#parameters = parameters;
  }

  send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
    let client: grpc.Client;
    let metadata: grpc.Metadata;
    try {
      metadata = this.#parameters.metadata();
      client = this.#client ??= this.#createClient();
    } catch (error) {
      return Promise.resolve({ status: 'failure', error: error instanceof Error ? error : new Error(String(error)) });
    }
    return new Promise((resolve) => {
      client.makeUnaryRequest(SERVICE_PATH, passThrough, passThrough, Buffer.from(data), metadata, { deadline: Date.now() + timeoutMillis }, (error, response) => {
        if (error === null) {
          resolve(response === undefined ? { status: 'success' } : { status: 'success', data: response });
          return;
        }
        if (error.code === grpc.status.UNAVAILABLE && this.#client === client) {
          this.#client = undefined;
          client.close();
        }
        resolve({ status: 'failure', error });
      });
    });
  }

  shutdown(): void {
    this.#client?.close();
    this.#client = undefined;
  }

  #createClient(): grpc.Client {
    return new grpc.Client(this.#parameters.address, this.#parameters.credentials(), {
      'grpc.default_compression_algorithm': this.#parameters.compression === 'gzip' ? COMPRESSION_GZIP : COMPRESSION_NONE,
      'grpc.primary_user_agent': USER_AGENT,
      // A subchannel of its own: a new client must not inherit the backoff of the one it replaces.
      'grpc.use_local_subchannel_pool': 1,
      'grpc.initial_reconnect_backoff_ms': INITIAL_RECONNECT_BACKOFF_MS,
      'grpc.max_reconnect_backoff_ms': MAX_RECONNECT_BACKOFF_MS,
    });
  }
}

/** An OTLP/gRPC span exporter that resumes as soon as the collector is back. */
export function createGrpcSpanExporter(options: GrpcSpanExporterOptions): SpanExporter {
  const configuration = convertLegacyOtlpGrpcOptions(
    { url: options.url, timeoutMillis: options.timeoutMillis, compression: options.compression, metadata: options.metadata },
    'TRACES',
  );
  const transport = new ReconnectingGrpcTransport({
    address: configuration.url,
    credentials: configuration.credentials,
    metadata: configuration.metadata,
    compression: configuration.compression,
  });
  const metrics = createOtlpGrpcExporterMetrics<ReadableSpan[]>(COMPONENT_TYPE, TraceExporterMetricsHelper, configuration.url, undefined);
  return new OTLPExporterBase(createOtlpNetworkExportDelegate(configuration, ProtobufTraceSerializer, metrics, transport));
}
