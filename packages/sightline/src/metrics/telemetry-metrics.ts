/**
 * Self-metrics of the span pipeline: `sightline_telemetry_spans_total`
 * (exported, dropped, failed) and `sightline_telemetry_span_queue_size`,
 * read at scrape time from the telemetry handle's cumulative counts.
 */
import { catalogue } from './catalogue.ts';
import type { MetricsRegistry } from './registry.ts';

/** The counts the telemetry handle (`Telemetry.stats()`) reports, cumulative since telemetry started. */
export interface SpanPipelineStats {
  readonly exported: number;
  readonly dropped: number;
  readonly failed: number;
  readonly queueSize: number;
}

/** Anything that reports span pipeline counts; the `Telemetry` handle is one. */
export interface SpanPipelineStatsSource {
  stats(): SpanPipelineStats;
}

const OUTCOMES = ['exported', 'dropped', 'failed'] as const;

/**
 * Publishes `source`'s span counts in `registry`, read once per scrape.
 * Prometheus counters only go up, so each scrape adds what the source
 * counted since the previous scrape; when the source's count goes down
 * (telemetry was restarted and counts from 0 again) its whole new count is
 * added, the way Prometheus itself treats a counter reset. Returns a
 * function that stops publishing.
 */
export function registerTelemetryMetrics(registry: MetricsRegistry, source: SpanPipelineStatsSource): () => void {
  const spans = registry.counter(catalogue.telemetrySpans);
  const last = { exported: 0, dropped: 0, failed: 0 };
  for (const outcome of OUTCOMES) spans.inc({ outcome }, 0);
  return registry.gauge(catalogue.telemetrySpanQueueSize).addCollector((queueSize) => {
    const stats = source.stats();
    for (const outcome of OUTCOMES) {
      const current = stats[outcome];
      const delta = current >= last[outcome] ? current - last[outcome] : current;
      last[outcome] = current;
      if (delta > 0) spans.inc({ outcome }, delta);
    }
    queueSize.set({}, stats.queueSize);
  });
}
