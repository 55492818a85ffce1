/**
 * The Prometheus client's default process and Node.js runtime metrics (CPU,
 * resident memory, heap, event-loop lag, GC durations, active handles,
 * requests and resources by type, open file descriptors, Node version),
 * collected into a registry's own pair of client registries, never into the
 * client's global one.
 */
import { collectDefaultMetrics } from '@prometheus-io/client';
import type { Registry } from '@prometheus-io/client';
import { mirrorIntoText } from './text-mirror.ts';

/**
 * Default metrics left out because `promtool check metrics` rejects them:
 * the `_total` gauges repeat the per-type gauges next to them
 * (`sum(nodejs_active_handles)` gives the same number), and the event-loop
 * utilisation pair names its own type (and one is a summary, which cannot be
 * aggregated across instances); event-loop health stays visible through
 * `nodejs_eventloop_lag_*`.
 */
export const EXCLUDED_DEFAULT_METRICS: readonly string[] = Object.freeze([
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
  'nodejs_eventloop_utilization_summary',
  'nodejs_eventloop_utilization_histogram',
]);

/** Adds the default metrics to `openMetrics` and mirrors each into `text`. */
export function addDefaultMetrics(openMetrics: Registry, text: Registry): void {
  const before = new Set(openMetrics.getMetricsAsArray().map((metric) => metric.name));
  collectDefaultMetrics({ register: openMetrics });
  for (const name of EXCLUDED_DEFAULT_METRICS) openMetrics.removeSingleMetric(name);
  for (const metric of openMetrics.getMetricsAsArray()) {
    if (!before.has(metric.name)) mirrorIntoText(text, metric as unknown as Parameters<typeof mirrorIntoText>[1]);
  }
}
