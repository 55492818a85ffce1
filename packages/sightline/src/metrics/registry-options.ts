/** Options of `createMetricsRegistry`, and their resolution into a frozen configuration. */
import { InvalidConfigError } from '../errors.ts';
import { tenantLabels } from './tenant-label-policy.ts';
import type { TenantLabelPolicy } from './tenant-label-policy.ts';

/** What `createMetricsRegistry` accepts; every field is optional. */
export interface MetricsRegistryOptions {
  /**
   * Most distinct label sets one metric keeps; observations with new label
   * sets beyond it go to the overflow series (every label `__overflow__`)
   * and are counted in `sightline_metrics_series_overflow_total`. Default 2000.
   */
  readonly maxSeriesPerMetric?: number | undefined;
  /** Include the Prometheus client's process and Node.js runtime metrics. Default true. */
  readonly defaultMetrics?: boolean | undefined;
  /** Which tenants get a `tenant_id` label value on HTTP and messaging metrics. Default: `tenantLabels.off()`. */
  readonly tenantLabelPolicy?: TenantLabelPolicy | undefined;
}

/** The resolved, frozen registry configuration. */
export interface ResolvedMetricsRegistryConfig {
  readonly maxSeriesPerMetric: number;
  readonly defaultMetrics: boolean;
  readonly tenantLabelPolicy: TenantLabelPolicy;
}

/** The default per-metric series cap. */
export const DEFAULT_MAX_SERIES_PER_METRIC = 2000;

/** Validates `options` and fills in the defaults. Throws {@link InvalidConfigError} on a bad value. */
export function resolveRegistryOptions(options: MetricsRegistryOptions): ResolvedMetricsRegistryConfig {
  const maxSeriesPerMetric = options.maxSeriesPerMetric ?? DEFAULT_MAX_SERIES_PER_METRIC;
  if (!Number.isSafeInteger(maxSeriesPerMetric) || maxSeriesPerMetric < 1) {
    throw new InvalidConfigError({
      setting: 'maxSeriesPerMetric',
      source: 'option',
      value: maxSeriesPerMetric,
      expected: 'an integer of at least 1',
      hint: `The default, ${DEFAULT_MAX_SERIES_PER_METRIC}, suits most services.`,
    });
  }
  const defaultMetrics = options.defaultMetrics ?? true;
  if (typeof defaultMetrics !== 'boolean') {
    throw new InvalidConfigError({ setting: 'defaultMetrics', source: 'option', value: defaultMetrics, expected: 'true or false' });
  }
  const tenantLabelPolicy = options.tenantLabelPolicy ?? tenantLabels.off();
  if (typeof tenantLabelPolicy.labelFor !== 'function') {
    throw new InvalidConfigError({
      setting: 'tenantLabelPolicy',
      source: 'option',
      value: tenantLabelPolicy,
      expected: 'a policy from tenantLabels.off(), tenantLabels.allowList([...]) or tenantLabels.topK(k)',
    });
  }
  return Object.freeze({ maxSeriesPerMetric, defaultMetrics, tenantLabelPolicy });
}
