/**
 * Trace export (`OTEL_TRACES_EXPORTER`, `OTEL_EXPORTER_OTLP_*`) and the batch
 * span processor (`OTEL_BSP_*`).
 */
import type { Candidate, Env } from './env.ts';
import { firstSet, readEnv, resolveValue } from './env.ts';
import type { KeyValueListRule } from './key-value-list.ts';
import { checkKeyValueObject, parseKeyValueList } from './key-value-list.ts';
import type { OtlpCompression, OtlpProtocol, ResolvedTelemetryConfig, TelemetryOptions, TracesExporter } from './types.ts';
import { asEnum, asEnumList, asHttpUrl, asInteger, asMillis, optionGroup, reject } from './validate.ts';

const EXPORTERS: readonly TracesExporter[] = ['otlp', 'console', 'none'];
const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];
const COMPRESSIONS: readonly OtlpCompression[] = ['gzip', 'none'];

/** Default trace endpoints of the OpenTelemetry specification, per protocol. */
export const DEFAULT_GRPC_ENDPOINT = 'http://localhost:4317';
export const DEFAULT_HTTP_TRACES_ENDPOINT = 'http://localhost:4318/v1/traces';

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_LIST: KeyValueListRule = {
  isValidKey: (key) => HEADER_NAME.test(key),
  secret: true,
  keyDescription: 'HTTP header names (letters, digits and !#$%&\'*+-.^_`|~)',
};

/** Resolves `config.traces`. */
export function resolveTraces(options: TelemetryOptions, env: Env): ResolvedTelemetryConfig['traces'] {
  const traces = optionGroup(options.traces, 'traces');
  const exporters = resolveValue(firstSet('traces.exporter', traces['exporter'], env, ['OTEL_TRACES_EXPORTER']), asExporters, ['otlp' as const]);
  const protocol = resolveValue(
    firstSet('traces.protocol', traces['protocol'], env, ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']),
    (c) => asEnum(c, PROTOCOLS),
    'http/protobuf',
  );
  return {
    exporters,
    protocol,
    endpoint: resolveEndpoint(traces['endpoint'], protocol, env),
    headers: resolveHeaders(traces['headers'], env),
    timeoutMillis: resolveValue(
      firstSet('traces.timeoutMillis', traces['timeoutMillis'], env, ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT']),
      asMillis,
      10_000,
    ),
    compression: resolveValue(
      firstSet('traces.compression', traces['compression'], env, ['OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION']),
      (c) => asEnum(c, COMPRESSIONS),
      'none',
    ),
  };
}

/**
 * One exporter or a list (an array option, or a comma-separated variable):
 * each once, in the order given; `none` only alone.
 */
function asExporters(candidate: Candidate): Exclude<TracesExporter, 'none'>[] {
  const exporters = asEnumList(candidate, EXPORTERS);
  if (exporters.includes('none')) {
    return exporters.length === 1 ? [] : reject(candidate, `${EXPORTERS.join(', ')} or a list of them; none only alone`);
  }
  return exporters.filter((exporter) => exporter !== 'none');
}

/**
 * The URL the exporter sends to. An explicit option or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is used as is. The generic
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is a base: HTTP protocols append `v1/traces`
 * to its path, gRPC uses it as is. Otherwise the protocol's default.
 */
function resolveEndpoint(option: unknown, protocol: OtlpProtocol, env: Env): string {
  const specific = firstSet('traces.endpoint', option, env, ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
  if (specific !== undefined) return asHttpUrl(specific);
  const generic = firstSet('traces.endpoint', undefined, env, ['OTEL_EXPORTER_OTLP_ENDPOINT']);
  if (generic !== undefined) {
    const base = asHttpUrl(generic);
    return protocol === 'grpc' ? base : `${base}${base.endsWith('/') ? '' : '/'}v1/traces`;
  }
  return protocol === 'grpc' ? DEFAULT_GRPC_ENDPOINT : DEFAULT_HTTP_TRACES_ENDPOINT;
}

/**
 * Export headers: `OTEL_EXPORTER_OTLP_HEADERS`, overridden key by key by
 * `OTEL_EXPORTER_OTLP_TRACES_HEADERS`, then by the option. Names are
 * lower-cased (HTTP/2 and gRPC require it; HTTP/1.1 ignores case).
 */
function resolveHeaders(option: unknown, env: Env): Record<string, string> {
  const layers = ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'].map((name) => {
    const text = readEnv(env, name);
    return text === undefined ? {} : parseKeyValueList({ setting: 'traces.headers', source: name, value: text }, HEADER_LIST);
  });
  if (option !== undefined) layers.push(checkKeyValueObject({ setting: 'traces.headers', source: 'option', value: option }, HEADER_LIST));
  const headers: Record<string, string> = {};
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer)) headers[name.toLowerCase()] = value;
  }
  return headers;
}

/**
 * Resolves `config.batch`. A batch size set above the queue size is rejected;
 * an unset one defaults to 512, or to the queue size when that is smaller.
 */
export function resolveBatch(options: TelemetryOptions, env: Env): ResolvedTelemetryConfig['batch'] {
  const batch = optionGroup(options.batch, 'batch');
  const spans = (c: Parameters<typeof asInteger>[0]): number => asInteger(c, { min: 1, unit: 'spans' });
  const maxQueueSize = resolveValue(firstSet('batch.maxQueueSize', batch['maxQueueSize'], env, ['OTEL_BSP_MAX_QUEUE_SIZE']), spans, 2048);
  const batchCandidate = firstSet('batch.maxExportBatchSize', batch['maxExportBatchSize'], env, ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE']);
  const maxExportBatchSize = resolveValue(batchCandidate, spans, Math.min(512, maxQueueSize));
  if (batchCandidate !== undefined && maxExportBatchSize > maxQueueSize) {
    reject(batchCandidate, `at most batch.maxQueueSize (${maxQueueSize})`, 'Raise the queue size or lower the batch size.');
  }
  return {
    maxQueueSize,
    maxExportBatchSize,
    scheduledDelayMillis: resolveValue(
      firstSet('batch.scheduledDelayMillis', batch['scheduledDelayMillis'], env, ['OTEL_BSP_SCHEDULE_DELAY']),
      (c) => asInteger(c, { min: 0, unit: 'milliseconds' }),
      5000,
    ),
    exportTimeoutMillis: resolveValue(firstSet('batch.exportTimeoutMillis', batch['exportTimeoutMillis'], env, ['OTEL_BSP_EXPORT_TIMEOUT']), asMillis, 30_000),
  };
}
