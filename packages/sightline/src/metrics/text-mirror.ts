/**
 * One set of instruments, two exposition formats. The Prometheus client
 * fixes a registry's format when it is created, and only an OpenMetrics
 * registry keeps exemplars, so instruments live in an OpenMetrics registry
 * and a classic-text registry renders them too.
 *
 * The text registry gets a read-only view of each metric rather than the
 * metric itself: an OpenMetrics render renames counters in place (it strips
 * `_total` and adds it back per sample), so a shared counter would lose its
 * `_total` suffix in every later text render. The view reports the name
 * the metric was registered with, whatever the other format did to it.
 */
import type { Metric, Registry } from '@prometheus-io/client';

/** What the text registry needs of a metric: its identity and its current values. */
interface MetricLike {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly aggregator?: unknown;
  get(): Promise<{ readonly name: string }>;
}

/** Registers a read-only view of `metric` (a metric of the OpenMetrics registry) in `text`. */
export function mirrorIntoText(text: Registry, metric: MetricLike): void {
  const { name, help, type, aggregator } = metric;
  const view = {
    name,
    help,
    type,
    aggregator,
    get: async () => ({ ...(await metric.get()), name }),
  };
  // The client registers anything with a name and get(); its types only name its own classes.
  text.registerMetric(view as unknown as Metric<string>);
}
