import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { SpanStatusCode } from '@opentelemetry/api';
import { catalogue, InvalidConfigError, MetricsServerStartError } from 'sightline';
import { registerTelemetryMetrics } from 'sightline/sdk';
import { createMetricsHandler, createMetricsRegistry, startMetricsServer, tenantLabels } from 'sightline/metrics';
import { scrape, spanMetricsProvider } from './support/metrics-harness.ts';
import { promtoolCheckMetrics } from './support/prometheus-text.ts';

const OPENMETRICS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

describe('metrics endpoint', () => {
  it('serves an app that uses every part of the metrics work, and promtool accepts it', async (t) => {
    const registry = createMetricsRegistry({ maxSeriesPerMetric: 5, tenantLabelPolicy: tenantLabels.topK(2) });
    const { provider } = spanMetricsProvider(registry);
    t.after(() => provider.shutdown());
    const tracer = provider.getTracer('endpoint-test');
    for (let i = 0; i < 8; i++) {
      const span = tracer.startSpan(`op-${i}`, { attributes: { 'app.module': 'orders' } });
      if (i % 3 === 0) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    const requests = registry.histogram(catalogue.httpServerRequestDuration);
    for (const tenant of ['acme', 'acme', 'globex', 'initech', 'acme']) {
      requests.observe(
        { http_request_method: 'GET', http_route: '/orders/:id', http_response_status_code: 200, tenant_id: registry.tenantLabels.labelFor(tenant) },
        0.12,
      );
    }
    const stats = { exported: 10, dropped: 2, failed: 1, queueSize: 3 };
    registerTelemetryMetrics(registry, { stats: () => stats });
    registry.gauge(catalogue.cacheEntries).addCollector(() => {
      throw new Error('cache went away');
    });

    await using server = await startMetricsServer(registry, { host: '127.0.0.1', port: 0 });
    const { status, headers, body } = await scrape(server.url);
    assert.equal(status, 200);
    assert.match(headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    await promtoolCheckMetrics(body);

    assert.match(body, /^process_cpu_user_seconds_total /m, 'default process metrics');
    assert.match(body, /^nodejs_eventloop_lag_seconds /m, 'default runtime metrics');
    assert.match(body, /sightline_span_duration_seconds_count\{span_name="op-0",span_kind="internal",status_code="error",module="orders"\} 1/);
    assert.match(body, /sightline_span_duration_seconds_count\{span_name="__overflow__",span_kind="__overflow__",status_code="__overflow__",module="__overflow__"\} 3/);
    assert.match(body, /sightline_metrics_series_overflow_total\{metric="sightline_span_duration_seconds"\} 3/);
    assert.match(body, /sightline_errors_total\{module="orders",error_type="_OTHER"\} 3/);
    assert.match(body, /sightline_telemetry_spans_total\{outcome="dropped"\} 2/);
    assert.match(body, /sightline_telemetry_span_queue_size 3/);
    assert.match(body, /sightline_metrics_collector_errors_total\{metric="sightline_cache_entries"\} 1/);
    // topK(2) recomputes its labelled set every 2 calls: acme's first request is still `other`.
    assert.match(body, /http_server_request_duration_seconds_count\{[^}]*tenant_id="acme"\} 2/);
    assert.match(body, /http_server_request_duration_seconds_count\{[^}]*tenant_id="other"\} 3/);
  });

  it('answers 401 without the bearer token or with a wrong one, 200 with it', async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    await using server = await startMetricsServer(registry, { host: '127.0.0.1', port: 0, bearerToken: 's3cret-token' });

    const missing = await scrape(server.url);
    assert.equal(missing.status, 401);
    assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer/);
    assert.doesNotMatch(missing.body, /sightline_/);
    for (const authorization of ['Bearer s3cret-toke', 'Bearer s3cret-token-and-more', 'Basic czNjcmV0LXRva2Vu', 's3cret-token']) {
      const wrong = await scrape(server.url, { authorization });
      assert.equal(wrong.status, 401, authorization);
    }
    const ok = await scrape(server.url, { authorization: 'Bearer s3cret-token' });
    assert.equal(ok.status, 200);
    assert.match(ok.body, /sightline_metrics_scrape_errors_total 0/);
  });

  it('negotiates the format from Accept', async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    registry.counter(catalogue.cacheRequests).inc({ cache: 'products', result: 'hit' });
    await using server = await startMetricsServer(registry, { host: '127.0.0.1', port: 0 });

    const openMetrics = await scrape(server.url, { accept: OPENMETRICS_ACCEPT });
    assert.match(openMetrics.headers.get('content-type') ?? '', /^application\/openmetrics-text; version=1\.0\.0/);
    assert.match(openMetrics.body, /# EOF\n$/);
    assert.match(openMetrics.body, /sightline_cache_requests_total\{cache="products",result="hit"\} 1/);

    for (const accept of [undefined, '*/*', 'text/plain;version=0.0.4', 'application/openmetrics-text;q=0.2,text/plain;q=0.9']) {
      const text = await scrape(server.url, accept === undefined ? {} : { accept });
      assert.match(text.headers.get('content-type') ?? '', /^text\/plain/, String(accept));
      assert.doesNotMatch(text.body, /# EOF/);
      assert.match(text.body, /sightline_cache_requests_total\{cache="products",result="hit"\} 1/, 'counters keep _total after an OpenMetrics render');
    }
  });

  it('keeps serving when a collector throws, refuses other methods and paths, and answers HEAD', async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    registry.gauge(catalogue.eventBacklog).addCollector(() => Promise.reject(new Error('nats is down')));
    await using server = await startMetricsServer(registry, { host: '127.0.0.1', port: 0, path: '/internal/metrics' });

    const first = await scrape(server.url);
    const second = await scrape(`${server.url}?x=1`);
    assert.equal(first.status, 200);
    assert.match(second.body, /sightline_metrics_collector_errors_total\{metric="sightline_event_backlog"\} 2/);

    assert.equal((await scrape(server.url.replace('/internal/metrics', '/metrics'))).status, 404);
    const post = await fetch(server.url, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    await post.body?.cancel();
    const head = await fetch(server.url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  });

  it('answers 500 and counts it when rendering fails', async (t) => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    const failing = { ...registry, render: () => Promise.reject(new Error('render broke')), counter: registry.counter.bind(registry), markRead: () => registry.markRead() };
    const handler = createMetricsHandler(failing);
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;

    const response = await scrape(`http://127.0.0.1:${port}/metrics`);
    assert.equal(response.status, 500);
    assert.match(response.body, /Rendering metrics failed/);
    assert.match(await registry.render('prometheus'), /sightline_metrics_scrape_errors_total 1/);
  });

  it('closes idempotently and reports a port in use with a typed error', async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    const server = await startMetricsServer(registry, { host: '127.0.0.1', port: 0 });
    await assert.rejects(startMetricsServer(registry, { host: '127.0.0.1', port: server.port }), MetricsServerStartError);
    await Promise.all([server.close(), server.close()]);
    await server[Symbol.asyncDispose]();
    await assert.rejects(fetch(server.url));
  });

  it('reads host and port from OTEL_EXPORTER_PROMETHEUS_* and rejects bad values', async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    await using server = await startMetricsServer(registry, {}, { OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: '0' });
    assert.equal(server.host, '127.0.0.1');
    assert.ok(server.port > 0);
    await assert.rejects(startMetricsServer(registry, {}, { OTEL_EXPORTER_PROMETHEUS_PORT: '94640' }), (error: unknown) => {
      assert.ok(error instanceof InvalidConfigError);
      assert.match(error.message, /OTEL_EXPORTER_PROMETHEUS_PORT/);
      return true;
    });
    assert.throws(() => createMetricsHandler(registry, { bearerToken: '' }), InvalidConfigError);
  });
});
