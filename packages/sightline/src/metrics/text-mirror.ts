/**
 * One set of instruments, two exposition formats. The Prometheus client
 * fixes a registry's format when it is created, and only an OpenMetrics
 * registry keeps exemplars, so instruments live in an OpenMetrics registry
 * and a classic-text registry renders them too. The process-wide runtime
 * metrics are shown the same way, in every registry that includes them.
 *
 * A registry gets a view of each metric rather than the metric itself: an
 * OpenMetrics render renames counters in place (it strips `_total` and adds
 * it back per sample), so a shared counter would lose its `_total` suffix in
 * every later text render. Each view keeps its own name, which only the
 * registry it is registered in may rename. A view offers the metric's
 * `getForPromString` too when it has one (histograms): the client renders
 * from it without first copying the bucket labels into every value, which
 * halves the time of a classic-text scrape.
 */
import type { Metric, Registry } from '@prometheus-io/client';

/** What a registry needs of a metric: its identity and its current values. */
export interface MetricLike {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly aggregator?: unknown;
  get(): Promise<{ readonly name: string }>;
  getForPromString?(): Promise<{ readonly name: string }>;
  /** The metric's exposition text, as the client's `getMetricsAsString` renders it, when the metric renders itself (histograms). */
  renderText?(openMetrics: boolean, name?: string): string;
}

/** Registers a view of `metric` (a metric of another client registry) in `registry`. */
export function registerView(registry: Registry, metric: MetricLike): void {
  const { name, help, type, aggregator } = metric;
  const view: MetricLike & { name: string } = {
    name,
    help,
    type,
    aggregator,
    get: async () => ({ ...(await metric.get()), name: view.name }),
  };
  if (metric.getForPromString !== undefined) {
    const values = metric.getForPromString.bind(metric);
    view.getForPromString = async () => ({ ...(await values()), name: view.name });
  }
  if (metric.renderText !== undefined) {
    const render = metric.renderText.bind(metric);
    view.renderText = (openMetrics) => render(openMetrics, view.name);
  }
  // The client registers anything with a name and get(); its types only name its own classes.
  registry.registerMetric(view as unknown as Metric<string>);
}
