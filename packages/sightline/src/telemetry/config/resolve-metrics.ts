/**
 * Metrics exposure (`OTEL_METRICS_EXPORTER`, `OTEL_EXPORTER_PROMETHEUS_*`,
 * `OTEL_EXPORTER_OTLP_METRICS_PROTOCOL`, `OTEL_METRIC_EXPORT_*`,
 * `SIGHTLINE_METRICS_*`): whether and where the metrics server listens, its
 * scrape token, whether and how often metrics are pushed over OTLP, and the
 * options of the registry `startTelemetry` configures.
 */
import { DEFAULT_MAX_SERIES_PER_METRIC } from '../../metrics/registry-options.ts';
import { tenantLabels } from '../../metrics/tenant-label-policy.ts';
import type { TenantLabelPolicy } from '../../metrics/tenant-label-policy.ts';
import type { Candidate, Env } from './env.ts';
import { firstSet, resolveValue } from './env.ts';
import type { MetricsExporter, OtlpProtocol, ResolvedTelemetryConfig, TelemetryOptions } from './types.ts';
import { asBoolean, asEnum, asInteger, asMillis, asNonEmptyString, asSecretToken, asUrlPath, optionGroup, reject } from './validate.ts';

const EXPORTERS: readonly MetricsExporter[] = ['prometheus', 'otlp', 'none'];
const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];

/** Resolves `config.metrics`. */
export function resolveMetrics(options: TelemetryOptions, env: Env): ResolvedTelemetryConfig['metrics'] {
  const metrics = optionGroup(options.metrics, 'metrics');
  return {
    exporters: resolveValue(firstSet('metrics.exporter', metrics['exporter'], env, ['OTEL_METRICS_EXPORTER']), asMetricsExporters, []),
    otlp: {
      protocol: resolveValue(
        firstSet('metrics.protocol', metrics['protocol'], env, ['OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']),
        (c) => asEnum(c, PROTOCOLS),
        'http/protobuf',
      ),
      intervalMillis: resolveValue(
        firstSet('metrics.exportIntervalMillis', metrics['exportIntervalMillis'], env, ['OTEL_METRIC_EXPORT_INTERVAL']),
        (c) => asInteger(c, { min: 1, unit: 'milliseconds' }),
        60_000,
      ),
      timeoutMillis: resolveValue(
        firstSet('metrics.exportTimeoutMillis', metrics['exportTimeoutMillis'], env, ['OTEL_METRIC_EXPORT_TIMEOUT']),
        asMillis,
        30_000,
      ),
    },
    host: resolveValue(firstSet('metrics.host', metrics['host'], env, ['OTEL_EXPORTER_PROMETHEUS_HOST']), asNonEmptyString, '0.0.0.0'),
    port: resolveValue(
      firstSet('metrics.port', metrics['port'], env, ['OTEL_EXPORTER_PROMETHEUS_PORT']),
      (c) => asInteger(c, { min: 0, max: 65_535 }),
      9464,
    ),
    path: resolveValue(firstSet('metrics.path', metrics['path'], {}), asUrlPath, '/metrics'),
    bearerToken: resolveValue(
      firstSet('metrics.bearerToken', metrics['bearerToken'], env, ['SIGHTLINE_METRICS_BEARER_TOKEN']),
      asSecretToken,
      undefined,
    ),
    maxSeriesPerMetric: resolveValue(
      firstSet('metrics.maxSeriesPerMetric', metrics['maxSeriesPerMetric'], {}),
      (c) => asInteger(c, { min: 1, unit: 'series' }),
      DEFAULT_MAX_SERIES_PER_METRIC,
    ),
    tenantLabels: resolveValue(
      firstSet('metrics.tenantLabels', metrics['tenantLabels'], env, ['SIGHTLINE_METRICS_TENANT_LABELS']),
      asTenantLabelPolicy,
      tenantLabels.off(),
    ),
    defaultMetrics: resolveValue(firstSet('metrics.defaultMetrics', metrics['defaultMetrics'], {}), asBoolean, true),
  };
}

/**
 * The exporters to run, from `prometheus`, `otlp` or `none`, alone or as a
 * list (`prometheus,otlp` in the environment, an array as an option); `none`
 * in a list with others is refused. `none` is the empty list.
 */
function asMetricsExporters(candidate: Candidate): readonly ('prometheus' | 'otlp')[] {
  const { value } = candidate;
  const entries = Array.isArray(value)
    ? (value as unknown[])
    : typeof value === 'string'
      ? value.split(',').map((entry) => entry.trim())
      : [value];
  const expected = `${EXPORTERS.join(', ')}, or a list of prometheus and otlp`;
  const names = entries.map((entry) => asEnum({ ...candidate, value: typeof entry === 'string' ? entry.toLowerCase() : entry }, EXPORTERS));
  if (names.includes('none')) return names.length === 1 ? Object.freeze([]) : reject(candidate, `${expected} (none stands alone)`);
  return Object.freeze([...new Set(names.filter((name): name is 'prometheus' | 'otlp' => name !== 'none'))]);
}

const POLICY_SYNTAX = "off, allow:<tenant>,<tenant>... or top:<k> with k a whole number of at least 1";
const TOP_K = /^top:(\d+)$/i;

/**
 * A tenant-label policy: an option must be a policy object (from
 * `tenantLabels`, or one of your own with `kind` and `labelFor`); the
 * environment text is `off`, `allow:acme,globex` or `top:10`. An option's
 * policy is wrapped, not frozen, so its own state keeps working.
 */
function asTenantLabelPolicy(candidate: Candidate): TenantLabelPolicy {
  const { value } = candidate;
  if (candidate.source === 'option') {
    const policy = value as Partial<TenantLabelPolicy> | null;
    if (typeof policy !== 'object' || policy === null || typeof policy.labelFor !== 'function' || typeof policy.kind !== 'string') {
      return reject(candidate, 'a policy from tenantLabels.off(), tenantLabels.allowList([...]) or tenantLabels.topK(k)');
    }
    const own = policy as TenantLabelPolicy;
    return Object.freeze({ kind: own.kind, labelFor: (tenantId: string | undefined) => own.labelFor(tenantId) });
  }
  const text = String(value);
  if (text.toLowerCase() === 'off') return tenantLabels.off();
  if (text.toLowerCase().startsWith('allow:')) {
    const ids = text.slice('allow:'.length).split(',').map((id) => id.trim());
    if (ids.some((id) => id === '')) return reject(candidate, `${POLICY_SYNTAX} (a tenant id in the allow list is empty)`);
    return tenantLabels.allowList(ids);
  }
  const top = TOP_K.exec(text);
  const k = top === null ? 0 : Number(top[1]);
  if (Number.isSafeInteger(k) && k >= 1) return tenantLabels.topK(k);
  return reject(candidate, POLICY_SYNTAX);
}
