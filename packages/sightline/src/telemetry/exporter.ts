/**
 * The span exporter for the resolved `traces` settings: OTLP over gRPC,
 * HTTP/protobuf or HTTP/JSON, the console, both, or none. Each OTLP exporter is
 * imported only when chosen (the gRPC one brings `@grpc/grpc-js`) and after
 * the instrumentations are enabled, so its own `http` import cannot get ahead
 * of them. Endpoint, headers, timeout and compression come from the
 * configuration alone; an OTLP exporter reports failures through its export
 * callback (counted by the batch processor) and never throws into the app.
 * The gRPC one runs on a transport of Sightline's own (grpc-span-exporter.ts)
 * that reconnects as soon as the collector is back.
 */
import { ConsoleSpanExporter } from '@opentelemetry/sdk-trace';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { ResolvedTelemetryConfig } from './config/types.ts';

type TracesConfig = ResolvedTelemetryConfig['traces'];

/** One exporter per entry of `traces.exporters`, in order; none when the list is empty. */
export async function createSpanExporters(traces: TracesConfig): Promise<SpanExporter[]> {
  const exporters: SpanExporter[] = [];
  for (const exporter of traces.exporters) exporters.push(exporter === 'console' ? new ConsoleSpanExporter() : await createOtlpExporter(traces));
  return exporters;
}

async function createOtlpExporter(traces: TracesConfig): Promise<SpanExporter> {
  const compression = traces.compression === 'gzip' ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE;
  const common = { url: traces.endpoint, timeoutMillis: traces.timeoutMillis, compression };
  switch (traces.protocol) {
    case 'grpc': {
      const [{ createGrpcSpanExporter }, { Metadata }] = await Promise.all([import('./grpc-span-exporter.ts'), import('@grpc/grpc-js')]);
      const metadata = new Metadata();
      for (const [key, value] of Object.entries(traces.headers)) metadata.set(key, value);
      return createGrpcSpanExporter({ ...common, metadata });
    }
    case 'http/protobuf': {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
      return new OTLPTraceExporter({ ...common, headers: { ...traces.headers } });
    }
    case 'http/json': {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
      return new OTLPTraceExporter({ ...common, headers: { ...traces.headers } });
    }
  }
}
