import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import { createMetricsRegistry, registerTelemetryMetrics, startTelemetry } from 'sightline';
import { scrape } from './support/metrics-harness.ts';

describe('telemetry wiring of metrics', () => {
  it('adds span-count deltas since the last scrape and treats a drop as a counter reset', async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    let stats = { exported: 5, dropped: 0, failed: 1, queueSize: 7 };
    registerTelemetryMetrics(registry, { stats: () => stats });
    assert.match(await registry.render('prometheus'), /sightline_telemetry_spans_total\{outcome="exported"\} 5\n[\s\S]*sightline_telemetry_span_queue_size 7/);
    stats = { exported: 12, dropped: 2, failed: 1, queueSize: 0 };
    let text = await registry.render('prometheus');
    assert.match(text, /outcome="exported"\} 12\n/);
    assert.match(text, /outcome="dropped"\} 2\n/);
    assert.match(text, /outcome="failed"\} 1\n/);
    stats = { exported: 3, dropped: 2, failed: 1, queueSize: 0 };
    text = await registry.render('prometheus');
    assert.match(text, /outcome="exported"\} 15\n/, 'restarted source: its new count is added');
  });

  it('startTelemetry records span metrics in telemetry.metrics and serves them when the exporter is prometheus', async () => {
    const telemetry = await startTelemetry({
      serviceName: 'metrics-wiring-test',
      traces: { exporter: 'none' },
      metrics: { exporter: 'prometheus', host: '127.0.0.1', port: 0 },
    });
    try {
      trace.getTracer('wiring').startActiveSpan('orders.place', { attributes: { 'app.module': 'orders' } }, (span) => span.end());
      const text = await telemetry.metrics.render('prometheus');
      assert.match(text, /sightline_span_duration_seconds_count\{span_name="orders.place",span_kind="internal",status_code="unset",module="orders"\} 1/);
      assert.match(text, /sightline_telemetry_spans_total\{outcome="exported"\} 0/);
      assert.ok(telemetry.metricsUrl !== undefined);
      const served = await scrape(telemetry.metricsUrl);
      assert.equal(served.status, 200);
      assert.match(served.body, /span_name="orders.place"/);
    } finally {
      await telemetry.shutdown();
    }
    assert.ok(telemetry.metricsUrl !== undefined);
    await assert.rejects(fetch(telemetry.metricsUrl), 'the metrics server closes with the telemetry');
  });
});
