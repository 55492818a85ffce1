import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { catalogue, InvalidConfigError } from 'sightline';
import { createMetricsRegistry, OTHER_TENANT, tenantLabels } from 'sightline/metrics';
import type { CounterInstrument } from 'sightline';
import { seriesCount, spanMetricsProvider } from './support/metrics-harness.ts';
import { promtoolCheckMetrics } from './support/prometheus-text.ts';

const MAX_SERIES = 200;

describe('bounded cardinality', () => {
  it('keeps 10,000 random span names and 10,000 random tenants to a bounded number of series, counting the overflow', async (t) => {
    const registry = createMetricsRegistry({ defaultMetrics: false, maxSeriesPerMetric: MAX_SERIES, tenantLabelPolicy: tenantLabels.topK(5) });
    const { provider } = spanMetricsProvider(registry);
    t.after(() => provider.shutdown());
    const tracer = provider.getTracer('cardinality-test');
    for (let i = 0; i < 10_000; i++) tracer.startSpan(`GET /unknown/${randomUUID()}`).end();

    const sent = registry.counter(catalogue.messagingSentMessages);
    const tenantValues = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const tenant = i % 4 === 0 ? 'acme' : randomUUID();
      const tenant_id = registry.tenantLabels.labelFor(tenant);
      tenantValues.add(tenant_id);
      sent.inc({ messaging_system: 'nats', messaging_destination_name: 'order.created', error_type: '', tenant_id });
    }

    const text = await registry.render('prometheus');
    await promtoolCheckMetrics(text);
    assert.equal(seriesCount(text, 'sightline_span_duration_seconds_count'), MAX_SERIES + 1, 'the cap plus one overflow series');
    assert.match(text, new RegExp(`sightline_metrics_series_overflow_total\\{metric="sightline_span_duration_seconds"\\} ${10_000 - MAX_SERIES}\\n`));
    assert.ok(tenantValues.size <= 5 + 1, `at most k tenants plus other, got ${tenantValues.size}`);
    assert.ok(tenantValues.has('acme') && tenantValues.has(OTHER_TENANT));
    assert.ok(seriesCount(text, 'messaging_client_sent_messages_total') <= 6);
    assert.match(text, /messaging_client_sent_messages_total\{[^}]*tenant_id="acme"\} \d+/);
  });

  it('lets an allow-list through and folds every other tenant into other; off gives an empty label', () => {
    const allow = tenantLabels.allowList(['acme', 'globex']);
    assert.deepEqual(['acme', 'globex', 'initech', undefined, ''].map((id) => allow.labelFor(id)), ['acme', 'globex', OTHER_TENANT, '', '']);
    assert.equal(createMetricsRegistry({ defaultMetrics: false }).tenantLabels.labelFor('acme'), '');
    assert.throws(() => tenantLabels.topK(0), InvalidConfigError);
    assert.throws(() => tenantLabels.allowList(['']), InvalidConfigError);
    assert.throws(() => createMetricsRegistry({ maxSeriesPerMetric: 0 }), InvalidConfigError);
  });

  it('frees a slot when a gauge series is removed', async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false, maxSeriesPerMetric: 2 });
    const entries = registry.gauge(catalogue.cacheEntries);
    entries.set({ cache: 'a' }, 1);
    entries.set({ cache: 'b' }, 2);
    entries.remove({ cache: 'a' });
    entries.set({ cache: 'c' }, 3);
    const text = await registry.render('prometheus');
    assert.match(text, /sightline_cache_entries\{cache="c"\} 3/);
    assert.doesNotMatch(text, /__overflow__/);
  });

  it('never throws into the caller: bad labels and values are dropped and reported once per metric', async (t) => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    const warnings: string[] = [];
    diag.setLogger({ error() {}, warn: (message: string) => warnings.push(message), info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
    t.after(() => diag.disable());
    // What an untyped JavaScript caller can pass.
    const requests = registry.counter(catalogue.cacheRequests) as unknown as CounterInstrument<string>;
    const misuse: Array<() => void> = [
      () => requests.inc({ cache: 'a', result: 'hit', extra: 'x' }),
      () => requests.inc({ cache: 'a' }),
      () => requests.inc({ cache: {} as unknown as string, result: 'hit' }),
      () => requests.inc(null as unknown as Record<string, string>),
      () => requests.inc({ cache: 'a', result: 'hit' }, -1),
      () => requests.inc({ cache: 'a', result: 'hit' }, Number.NaN),
      () => registry.histogram(catalogue.spanDuration).observe({ span_name: 'x', span_kind: 'internal', status_code: 'ok', module: '' }, Infinity),
      () => registry.gauge(catalogue.cacheEntries).set({ cache: 'a' }, 'many' as unknown as number),
    ];
    for (const call of misuse) assert.doesNotThrow(call);
    requests.inc({ cache: 'a', result: 'hit' });

    const text = await registry.render('prometheus');
    assert.match(text, /sightline_cache_requests_total\{cache="a",result="hit"\} 1\n/);
    assert.equal(warnings.filter((w) => w.includes('sightline_cache_requests_total')).length, 1);
    assert.equal(warnings.length, 3, 'one report for each of the three metrics');
    await promtoolCheckMetrics(text);
  });

  it('bound series record into the same series as inc/observe, copy their labels, respect the cap and never throw', async (t) => {
    const registry = createMetricsRegistry({ defaultMetrics: false, maxSeriesPerMetric: 2 });
    const warnings: string[] = [];
    diag.setLogger({ error() {}, warn: (message: string) => warnings.push(message), info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
    t.after(() => diag.disable());
    const requests = registry.counter(catalogue.cacheRequests);
    const labels = { cache: 'a', result: 'hit' };
    const hits = requests.bind(labels);
    labels.cache = 'changed later';
    hits.inc();
    hits.inc(2);
    requests.inc({ cache: 'a', result: 'hit' });
    requests.bind({ cache: 'b', result: 'hit' }).inc();
    const third = requests.bind({ cache: 'c', result: 'hit' });
    third.inc();
    third.inc();
    const untyped = requests as unknown as CounterInstrument<string>;
    assert.doesNotThrow(() => untyped.bind({ cache: 'a' }).inc());
    assert.doesNotThrow(() => hits.inc(-1));
    const duration = registry.histogram(catalogue.cacheOperationDuration).bind({ cache: 'a', operation: 'get' });
    duration.observe(0.002);
    assert.doesNotThrow(() => duration.observe(Number.NaN));

    const text = await registry.render('prometheus');
    assert.match(text, /sightline_cache_requests_total\{cache="a",result="hit"\} 4\n/);
    assert.match(text, /sightline_cache_requests_total\{cache="b",result="hit"\} 1\n/);
    assert.match(text, /sightline_cache_requests_total\{cache="__overflow__",result="__overflow__"\} 2\n/, 'a series over the cap folds into the overflow');
    assert.match(text, /sightline_cache_operation_duration_seconds_count\{cache="a",operation="get"\} 1\n/);
    assert.equal(warnings.filter((w) => w.includes('sightline_cache_requests_total')).length, 1);
    await promtoolCheckMetrics(text);
  });
});
