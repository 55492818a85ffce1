import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Histogram, Registry } from '@prometheus-io/client';
import type { Metric } from '@prometheus-io/client';
import { renderRegistry } from '../src/metrics/exposition.ts';
import { HistogramStore } from '../src/metrics/histogram-store.ts';
import { registerView } from '../src/metrics/text-mirror.ts';
import type { MetricLike } from '../src/metrics/text-mirror.ts';

const config = { name: 'work_seconds', help: 'Work "done" \\ in\nseconds', labelNames: ['route', 'code'], buckets: [0.1, 0.5, 1] };

/** The same observations (label sets, values below, between, on and above the bounds, exemplars or none) into `observe`. */
function feed(observe: (labels: { route: string; code: number | string }, value: number, exemplar?: Record<string, string>) => void): void {
  observe({ route: '/a', code: 200 }, 0.05, { trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16) });
  observe({ route: '/a', code: 200 }, 0.5);
  observe({ route: '/b "x"\n', code: '500' }, 7, { trace_id: 'c'.repeat(32), span_id: 'd'.repeat(16), tenant_id: 'acme' });
  observe({ route: '/a', code: 200 }, 0.7, { trace_id: 'e'.repeat(32), span_id: 'f'.repeat(16) });
  observe({ route: '/a', code: 200 }, 1e-9);
  observe({ route: 'C:\\tmp', code: '' }, 0.25, { trace_id: '1'.repeat(32), span_id: '2'.repeat(16), tenant_id: 'a\\"b' });
}

/** A client Histogram and a store fed alike, each in an OpenMetrics registry and (as a view) a text registry. */
function pair() {
  const client = { openMetrics: new Registry(Registry.OPENMETRICS_CONTENT_TYPE), text: new Registry(Registry.PROMETHEUS_CONTENT_TYPE) };
  const ours = { openMetrics: new Registry(Registry.OPENMETRICS_CONTENT_TYPE), text: new Registry(Registry.PROMETHEUS_CONTENT_TYPE) };
  const histogram = new Histogram<string>({ ...config, registers: [client.openMetrics], enableExemplars: true });
  const store = new HistogramStore(config);
  ours.openMetrics.registerMetric(store as unknown as Metric<string>);
  registerView(client.text, histogram as unknown as MetricLike);
  registerView(ours.text, store);
  return { client, ours, histogram, store };
}

describe('histogram store', () => {
  it('renders and reads exactly as the client histogram fed the same observations', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: 1_733_000_000_123 });
    const { client, ours, histogram, store } = pair();
    feed((labels, value, exemplarLabels) => histogram.observe(exemplarLabels ? { labels, value, exemplarLabels } : { labels, value }));
    feed((labels, value, exemplar) => store.series({ route: labels.route, code: labels.code }).observe(value, exemplar));
    assert.equal(await renderRegistry(ours.openMetrics), await renderRegistry(client.openMetrics));
    assert.equal(await renderRegistry(ours.text), await renderRegistry(client.text));
    assert.match(await renderRegistry(ours.openMetrics), /work_seconds_bucket\{le="\+Inf",route="\/b \\"x\\"\\n",code="500"\} 1 # \{trace_id="c{32}",span_id="d{16}",tenant_id="acme"\} 7 1733000000.123/);
    // structuredClone: the client's exemplars are instances of its Exemplar class, ours plain objects of the same fields.
    assert.deepEqual(structuredClone(await store.get()), structuredClone(await histogram.get()));
    const clientValues = (histogram as unknown as { getForPromString(): Promise<unknown> }).getForPromString();
    assert.deepEqual(structuredClone(await store.getForPromString()), structuredClone(await clientValues));
  });

  it('shows a histogram without labels from the start, as the client does', async () => {
    const client = new Histogram({ name: 'idle_seconds', help: 'Idle', buckets: [1], registers: [], enableExemplars: true });
    const store = new HistogramStore({ name: 'idle_seconds', help: 'Idle', labelNames: [], buckets: [1] });
    assert.deepEqual(await store.get(), await client.get());
  });

  it('refuses the names the client refuses', () => {
    assert.throws(() => new HistogramStore({ ...config, name: 'bad-name' }), /Invalid metric name/);
    assert.throws(() => new HistogramStore({ ...config, labelNames: ['ok', '1bad'] }), /label name is invalid: 1bad/);
    assert.throws(() => new HistogramStore({ ...config, labelNames: ['le'] }), /reserved/);
  });
});
