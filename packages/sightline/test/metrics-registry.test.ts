import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { catalogue } from '../src/metrics/catalogue.ts';
import { createMetricsRegistry } from '../src/metrics/registry.ts';
import { registerTelemetryMetrics } from '../src/metrics/telemetry-metrics.ts';
import { tenantLabels } from '../src/metrics/tenant-label-policy.ts';
import { createMetricsHandler } from '../src/metrics/metrics-handler.ts';
import { MetricDefinitionConflictError } from '../src/errors.ts';
import { promtoolCheckMetrics } from './support/prometheus-text.ts';


function sampledContext(traceId: string, spanId: string) {
  return trace.setSpanContext(context.active(), { traceId, spanId, traceFlags: TraceFlags.SAMPLED });
}

describe('metrics registry', () => {
  it('renders one set of instruments in both formats, exemplars only in OpenMetrics', async () => {
    const registry = createMetricsRegistry();
    const duration = registry.histogram(catalogue.httpServerRequestDuration);
    const labels = { http_request_method: 'GET', http_route: '/orders/:id', http_response_status_code: 200, tenant_id: '' };
    duration.observe(labels, 0.3, sampledContext('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331'));
    duration.observe(labels, 0.02, context.active());

    const openMetrics = await registry.render('openmetrics');
    assert.match(openMetrics, /http_server_request_duration_seconds_bucket\{le="0.5",.*\} 2 # \{trace_id="0af7651916cd43dd8448eb211c80319c",span_id="b7ad6b7169203331"\} 0.3/);
    assert.match(openMetrics, /# EOF\n$/);

    const text = await registry.render('prometheus');
    assert.match(text, /http_server_request_duration_seconds_count\{.*http_route="\/orders\/:id".*\} 2/);
    assert.doesNotMatch(text, /trace_id/);
    await promtoolCheckMetrics(text);

    assert.match(registry.contentType('openmetrics'), /^application\/openmetrics-text/);
    assert.match(registry.contentType('prometheus'), /^text\/plain/);
  });

  it('records no exemplar for an unsampled span', async () => {
    const registry = createMetricsRegistry();
    const unsampled = trace.setSpanContext(context.active(), {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.NONE,
    });
    registry.histogram(catalogue.spanDuration).observe({ span_name: 'x', span_kind: 'internal', status_code: 'ok', module: '' }, 0.1, unsampled);
    assert.doesNotMatch(await registry.render('openmetrics'), /trace_id/);
  });

  it('returns the same instrument for the same declaration and refuses a conflicting one', async () => {
    const registry = createMetricsRegistry();
    const first = registry.counter(catalogue.cacheRequests);
    assert.equal(registry.counter(catalogue.cacheRequests), first);
    first.inc({ cache: 'products', result: 'hit' });
    registry.counter(catalogue.cacheRequests).inc({ cache: 'products', result: 'hit' }, 2);
    assert.match(await registry.render('prometheus'), /sightline_cache_requests_total\{cache="products",result="hit"\} 3/);
    assert.throws(() => registry.counter({ ...catalogue.cacheRequests }), MetricDefinitionConflictError);
  });

  it('skips a failing collector, counts it, and still serves the scrape', async () => {
    const registry = createMetricsRegistry();
    const entries = registry.gauge(catalogue.cacheEntries);
    entries.addCollector((gauge) => gauge.set({ cache: 'products' }, 42));
    entries.addCollector(() => Promise.reject(new Error('redis is down')));
    const removeThrowing = entries.addCollector(() => {
      throw new Error('boom');
    });

    const text = await registry.render('prometheus');
    assert.match(text, /sightline_cache_entries\{cache="products"\} 42/);
    assert.match(text, /sightline_metrics_collector_errors_total\{metric="sightline_cache_entries"\} 2/);

    removeThrowing();
    await registry.render('prometheus');
    assert.match(await registry.render('prometheus'), /sightline_metrics_collector_errors_total\{metric="sightline_cache_entries"\} 4/);
  });

  it('types label names from the declaration', () => {
    const requests = createMetricsRegistry().counter(catalogue.cacheRequests);
    // Checked by the compiler only: each call below is a type error.
    const misuses = [
      // @ts-expect-error: `hit` is not a label of sightline_cache_requests_total
      () => requests.inc({ cache: 'a', hit: 'yes' }),
      // @ts-expect-error: the `result` label is missing
      () => requests.inc({ cache: 'a' }),
    ];
    assert.equal(misuses.length, 2);
  });

  it('types the options and collaborators of the registry, handler and self-metrics', () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    // Checked by the compiler only: each call below is a type error.
    const misuses = [
      // @ts-expect-error: maxSeriesPerMetric is a number
      () => createMetricsRegistry({ maxSeriesPerMetric: '100' }),
      // @ts-expect-error: a policy object is needed, not a tenant list
      () => createMetricsRegistry({ tenantLabelPolicy: ['acme'] }),
      // @ts-expect-error: the stats source must report queueSize too
      () => registerTelemetryMetrics(registry, { stats: () => ({ exported: 1, dropped: 0, failed: 0 }) }),
      // @ts-expect-error: bearerToken is a string
      () => createMetricsHandler(registry, { bearerToken: 42 }),
      // @ts-expect-error: `tenant` is not a label of http_server_request_duration_seconds
      () => registry.histogram(catalogue.httpServerRequestDuration).observe({ http_request_method: 'GET', http_route: '/', http_response_status_code: 200, tenant: 'acme' }, 1),
    ];
    assert.equal(misuses.length, 5);
    assert.equal(registry.tenantLabels.kind, tenantLabels.off().kind);
  });
});
