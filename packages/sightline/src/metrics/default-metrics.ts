/**
 * The Prometheus client's default process and Node.js runtime metrics (CPU,
 * resident memory, heap, event-loop lag, GC durations, active handles,
 * requests and resources by type, open file descriptors, Node version).
 *
 * Collecting them starts monitors (an event-loop delay histogram, a GC
 * observer) that run for the life of the process, so they are collected
 * once per process, into a client registry of their own that is never the
 * client's global one, and every Sightline registry that includes them
 * shows views of those same metrics.
 */
import { collectDefaultMetrics, Registry } from '@prometheus-io/client';
import { registerView } from './text-mirror.ts';
import type { MetricLike } from './text-mirror.ts';

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

/**
 * The client samples event-loop utilisation every 100 ms into the summary and
 * histogram {@link EXCLUDED_DEFAULT_METRICS} leaves out, a timer that would run
 * for nothing; the longest interval Node.js accepts (about 25 days) keeps it
 * from running.
 */
const UNUSED_MONITOR_INTERVAL_MS = 2_147_483_647;

/** Shared by every copy of Sightline in the process, so the monitors start once. */
const slotKey = Symbol.for('sightline.metrics.runtimeMetrics');
type GlobalSlot = { [slotKey]?: readonly MetricLike[] };

/** The process's runtime metrics, collected (and their monitors started) on the first call only. */
export function processRuntimeMetrics(): readonly MetricLike[] {
  const slot = globalThis as GlobalSlot;
  if (slot[slotKey] === undefined) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, eventLoopUtilizationTimeout: UNUSED_MONITOR_INTERVAL_MS });
    for (const name of EXCLUDED_DEFAULT_METRICS) registry.removeSingleMetric(name);
    slot[slotKey] = Object.freeze(registry.getMetricsAsArray().map((metric) => metric as unknown as MetricLike));
  }
  return slot[slotKey];
}

/** Shows the process's runtime metrics in `openMetrics` and `text`. */
export function addDefaultMetrics(openMetrics: Registry, text: Registry): void {
  for (const metric of processRuntimeMetrics()) {
    registerView(openMetrics, metric);
    registerView(text, metric);
  }
}

/** Removes the runtime metrics from `openMetrics` and `text` again. */
export function removeDefaultMetrics(openMetrics: Registry, text: Registry): void {
  for (const metric of processRuntimeMetrics()) {
    openMetrics.removeSingleMetric(metric.name);
    text.removeSingleMetric(metric.name);
  }
}
