import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { context, diag, DiagLogLevel, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { catalogue, contextWithTenant } from 'sightline';
import { createMetricsRegistry } from 'sightline/metrics';
import { MAX_EXEMPLAR_LABEL_CHARS } from '../src/metrics/exemplar.ts';
import { spanMetricsProvider } from './support/metrics-harness.ts';
import { promtoolCheckMetrics } from './support/prometheus-text.ts';

const EXEMPLAR = /# \{trace_id="([0-9a-f]{32})",span_id="([0-9a-f]{16})"(?:,tenant_id="([^"]*)")?\} [0-9.e-]+ [0-9.]+$/;

describe('exemplars', () => {
  it('carry the trace and span ids of spans created with a real SDK, in OpenMetrics only', async (t) => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    const { provider, exporter } = spanMetricsProvider(registry);
    t.after(() => provider.shutdown());
    const tracer = provider.getTracer('exemplar-test');

    const requests = registry.histogram(catalogue.httpServerRequestDuration);
    const server = tracer.startSpan('GET /orders/:id');
    const inSpan = contextWithTenant(trace.setSpan(ROOT_CONTEXT, server), { tenantId: 'acme' });
    requests.observe({ http_request_method: 'GET', http_route: '/orders/:id', http_response_status_code: 200, tenant_id: '' }, 0.3, inSpan);
    server.end();

    const exported = exporter.getFinishedSpans();
    assert.equal(exported.length, 1);
    const { traceId, spanId } = exported[0]!.spanContext();

    const openMetrics = await registry.render('openmetrics');
    const exemplars = openMetrics
      .split('\n')
      .map((line) => EXEMPLAR.exec(line))
      .filter((match) => match !== null);
    assert.ok(exemplars.length >= 2, 'the request histogram and the span-duration histogram carry exemplars');
    for (const [, exemplarTrace, exemplarSpan] of exemplars) {
      assert.equal(exemplarTrace, traceId);
      assert.equal(exemplarSpan, spanId);
    }
    assert.ok(exemplars.some((match) => match[3] === 'acme'), 'the tenant rides in the exemplar, not in a label');

    const text = await registry.render('prometheus');
    assert.doesNotMatch(text, /trace_id|span_id| # \{/);
    await promtoolCheckMetrics(text);
  });

  it('drops an exemplar too long for the format and keeps the observation, without throwing', async (t) => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    const { provider } = spanMetricsProvider(registry);
    t.after(() => provider.shutdown());
    const warnings: string[] = [];
    diag.setLogger({ error() {}, warn: (message: string) => warnings.push(message), info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
    t.after(() => diag.disable());

    const span = provider.getTracer('exemplar-test').startSpan('long-tenant');
    const longTenant = `tenant-${'x'.repeat(MAX_EXEMPLAR_LABEL_CHARS)}`;
    const inSpan = contextWithTenant(trace.setSpan(context.active(), span), { tenantId: longTenant });
    const lag = registry.histogram(catalogue.eventLag);
    const labels = { messaging_destination_name: 'order.created', messaging_consumer_group_name: 'billing' };
    assert.doesNotThrow(() => lag.observe(labels, 2, inSpan));
    assert.doesNotThrow(() => lag.observe(labels, 3, inSpan));
    span.end();

    const openMetrics = await registry.render('openmetrics');
    assert.match(openMetrics, /sightline_event_lag_seconds_count\{messaging_destination_name="order.created",messaging_consumer_group_name="billing"\} 2/);
    assert.doesNotMatch(openMetrics, new RegExp(`sightline_event_lag_seconds_bucket.*${longTenant}`));
    assert.doesNotMatch(openMetrics.split('\n').filter((l) => l.startsWith('sightline_event_lag')).join('\n'), / # \{/);
    assert.equal(warnings.filter((w) => w.includes('sightline_event_lag_seconds')).length, 1, 'reported once per metric');
  });
});
