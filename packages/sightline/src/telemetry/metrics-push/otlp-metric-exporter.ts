/**
 * The OTLP metric exporter for the chosen protocol, one of OpenTelemetry's
 * own (`@opentelemetry/exporter-metrics-otlp-grpc`, `-proto`, `-http`),
 * imported only when chosen. Each reads the standard
 * `OTEL_EXPORTER_OTLP_METRICS_*` variables (falling back to
 * `OTEL_EXPORTER_OTLP_*`): endpoint, headers, timeout, compression and
 * `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`.
 */
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { OtlpProtocol } from '../config/types.ts';

/** A new exporter for `protocol`. */
export async function createMetricExporter(protocol: OtlpProtocol): Promise<PushMetricExporter> {
  switch (protocol) {
    case 'grpc':
      return new (await import('@opentelemetry/exporter-metrics-otlp-grpc')).OTLPMetricExporter();
    case 'http/protobuf':
      return new (await import('@opentelemetry/exporter-metrics-otlp-proto')).OTLPMetricExporter();
    case 'http/json':
      return new (await import('@opentelemetry/exporter-metrics-otlp-http')).OTLPMetricExporter();
  }
}
