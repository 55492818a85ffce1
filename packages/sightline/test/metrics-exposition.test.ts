import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter, Gauge, Histogram, Registry } from '@prometheus-io/client';
import { renderRegistry } from '../src/metrics/exposition.ts';
import { registerView } from '../src/metrics/text-mirror.ts';
import type { MetricLike } from '../src/metrics/text-mirror.ts';

/** One registry of each format holding a counter, a gauge and a histogram with an exemplar; the text one through views. */
function registries() {
  const openMetrics = new Registry(Registry.OPENMETRICS_CONTENT_TYPE);
  const text = new Registry(Registry.PROMETHEUS_CONTENT_TYPE);
  const counter = new Counter({ name: 'orders_placed_total', help: 'Orders "placed"\\ here', labelNames: ['shop'], registers: [openMetrics] });
  const gauge = new Gauge({ name: 'queue_depth', help: 'Depth', registers: [openMetrics] });
  const histogram = new Histogram<string>({ name: 'work_seconds', help: 'Work', labelNames: ['route'], buckets: [0.1, 1], registers: [openMetrics], enableExemplars: true });
  counter.inc({ shop: 'a "quoted"\nname' }, 2);
  gauge.set(-3.5);
  histogram.observe({ labels: { route: '/x' }, value: 0.5, exemplarLabels: { trace_id: 'abc', span_id: 'def' } });
  histogram.observe({ labels: { route: '/y' }, value: 3 });
  for (const metric of [counter, gauge, histogram]) registerView(text, metric as unknown as MetricLike);
  return { openMetrics, text };
}

describe('exposition', () => {
  it('renders each format byte for byte as the client renders it', async () => {
    const { openMetrics, text } = registries();
    for (const registry of [openMetrics, text]) {
      // Twice each: the OpenMetrics render renames counters, and a second render must not differ from the first.
      const ours = await renderRegistry(registry);
      assert.equal(ours, await registry.metrics());
      assert.equal(await renderRegistry(registry), ours);
    }
    assert.match(await renderRegistry(openMetrics), /work_seconds_bucket\{le="1",route="\/x"\} 1 # \{trace_id="abc",span_id="def"\} 0.5 \d/);
    assert.match(await renderRegistry(openMetrics), /^orders_placed_total\{shop="a \\"quoted\\"\\nname"\} 2$/m);
    assert.match(await renderRegistry(text), /^orders_placed_total\{shop="a \\"quoted\\"\\nname"\} 2$/m);
  });

  it('renders an empty registry as the client does', async () => {
    for (const registry of [new Registry(Registry.OPENMETRICS_CONTENT_TYPE), new Registry(Registry.PROMETHEUS_CONTENT_TYPE)]) {
      assert.equal(await renderRegistry(registry), await registry.metrics());
    }
  });
});
