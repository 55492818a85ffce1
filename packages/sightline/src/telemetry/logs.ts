/**
 * The logs pipeline, when a logs exporter is configured (`OTEL_LOGS_EXPORTER=otlp`
 * or `console`): a logger provider with the service's resource, a processor
 * that stamps `tenant.id` from the context's baggage on every record, and a
 * batch processor exporting with the `logs` settings (resolved by the same
 * rules as traces). It is registered as the global logger provider, which
 * the pino and winston instrumentations write to. Each OTLP exporter is
 * imported only when chosen; export failures never reach the app.
 */
import { logs } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { logs as apiLogs } from '@opentelemetry/api-logs';
import type { Resource } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, ConsoleLogRecordExporter, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { LogRecordExporter, LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { TENANT_ID_KEY } from '../context/keys.ts';
import { tenantFromContext } from '../context/tenant-context.ts';
import type { ResolvedTelemetryConfig } from './config/types.ts';

type LogsConfig = ResolvedTelemetryConfig['logs'];

/** A running logs pipeline. */
export interface LogsPipeline {
  flush(): Promise<void>;
  /** Flushes, stops and unregisters the global logger provider. */
  shutdown(): Promise<void>;
}

/** Stamps `tenant.id` from the baggage of the record's context, unless the record has one. */
class TenantLogRecordProcessor implements LogRecordProcessor {
  onEmit(record: ReadWriteLogRecord, context?: Context): void {
    const tenant = context === undefined ? undefined : tenantFromContext(context);
    if (tenant !== undefined && record.attributes[TENANT_ID_KEY] === undefined) record.setAttribute(TENANT_ID_KEY, tenant.tenantId);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Starts the pipeline for `config`, or returns undefined when it has no exporter (`none`). */
export async function startLogsPipeline(config: LogsConfig, resource: Resource): Promise<LogsPipeline | undefined> {
  if (config.exporters.length === 0) return undefined;
  const exporters = await Promise.all(config.exporters.map((exporter) => createLogExporter(exporter, config)));
  const provider = new LoggerProvider({
    resource,
    processors: [new TenantLogRecordProcessor(), ...exporters.map((exporter) => new BatchLogRecordProcessor({ exporter }))],
  });
  // API 1.10 carries the logs API (the pino instrumentation writes there); winston's OpenTelemetry
  // transport still writes through @opentelemetry/api-logs, whose global is separate: register on both.
  logs.setGlobalLoggerProvider(provider);
  apiLogs.setGlobalLoggerProvider(provider);
  return {
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      await provider.shutdown();
      logs.disable();
      apiLogs.disable();
    },
  };
}

async function createLogExporter(kind: LogsConfig['exporters'][number], config: LogsConfig): Promise<LogRecordExporter> {
  if (kind === 'console') return new ConsoleLogRecordExporter();
  const compression = config.compression === 'gzip' ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE;
  const common = { url: config.endpoint, timeoutMillis: config.timeoutMillis, compression };
  switch (config.protocol) {
    case 'grpc': {
      const [{ OTLPLogExporter }, { Metadata }] = await Promise.all([import('@opentelemetry/exporter-logs-otlp-grpc'), import('@grpc/grpc-js')]);
      const metadata = new Metadata();
      for (const [key, value] of Object.entries(config.headers)) metadata.set(key, value);
      return new OTLPLogExporter({ ...common, metadata });
    }
    case 'http/protobuf':
      return new (await import('@opentelemetry/exporter-logs-otlp-proto')).OTLPLogExporter({ ...common, headers: { ...config.headers } });
    case 'http/json':
      return new (await import('@opentelemetry/exporter-logs-otlp-http')).OTLPLogExporter({ ...common, headers: { ...config.headers } });
  }
}
