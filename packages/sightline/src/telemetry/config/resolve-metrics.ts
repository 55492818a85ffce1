/**
 * Metrics exposure (`OTEL_METRICS_EXPORTER`, `OTEL_EXPORTER_PROMETHEUS_*`,
 * `SIGHTLINE_METRICS_*`): whether and where the metrics server listens, its
 * scrape token, and the options of the registry `startTelemetry` creates.
 */
import { DEFAULT_MAX_SERIES_PER_METRIC } from '../../metrics/registry-options.ts';
import { tenantLabels } from '../../metrics/tenant-label-policy.ts';
import type { TenantLabelPolicy } from '../../metrics/tenant-label-policy.ts';
import type { Candidate, Env } from './env.ts';
import { firstSet, resolveValue } from './env.ts';
import type { MetricsExporter, ResolvedTelemetryConfig, TelemetryOptions } from './types.ts';
import { asBoolean, asEnum, asInteger, asNonEmptyString, asSecretToken, asUrlPath, optionGroup, reject } from './validate.ts';

const EXPORTERS: readonly MetricsExporter[] = ['prometheus', 'none'];

/** Why `otlp` is refused, and what to do instead. */
const OTLP_HINT =
  'Sightline exposes metrics for Prometheus to scrape and does not push them over OTLP. ' +
  'Set OTEL_METRICS_EXPORTER=prometheus (or none, and mount createMetricsHandler(telemetry.metrics) on your own server); ' +
  "to forward the metrics over OTLP, point an OpenTelemetry Collector's prometheus receiver at that endpoint.";

/** Resolves `config.metrics`. */
export function resolveMetrics(options: TelemetryOptions, env: Env): ResolvedTelemetryConfig['metrics'] {
  const metrics = optionGroup(options.metrics, 'metrics');
  return {
    exporter: resolveValue(firstSet('metrics.exporter', metrics['exporter'], env, ['OTEL_METRICS_EXPORTER']), asMetricsExporter, 'none'),
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
 * `prometheus` or `none`. `otlp`, alone or in a list such as
 * `prometheus,otlp`, is refused with what to do instead; any other list
 * is refused as more than one exporter.
 */
function asMetricsExporter(candidate: Candidate): MetricsExporter {
  const entries = typeof candidate.value === 'string' ? candidate.value.split(',').map((entry) => entry.trim().toLowerCase()) : [];
  if (entries.includes('otlp')) return reject(candidate, `one of ${EXPORTERS.join(', ')}`, OTLP_HINT);
  if (entries.length > 1) return reject(candidate, `a single exporter, one of ${EXPORTERS.join(', ')}`);
  return asEnum(candidate, EXPORTERS);
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
