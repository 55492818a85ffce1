import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import { registerTelemetryMetrics, startTelemetry } from 'sightline/sdk';
import { createMetricsRegistry, tenantLabels } from 'sightline/metrics';
import type { Telemetry } from 'sightline';
import type { TelemetryOptions } from 'sightline/sdk';
import { sightlineHttp } from 'sightline/http';
import { startChildApp } from './support/child-app.ts';
import { baseUrlOf, closeServer } from './support/http-server-harness.ts';
import { scrape } from './support/metrics-harness.ts';
import { startHttpReceiver } from './support/otlp-receiver.ts';

const NO_INSTRUMENTATIONS = { http: false, undici: false, pg: false, ioredis: false, express: false } as const;

/**
 * Sends one request per tenant (undefined: no tenant header) to `path` of an
 * app measured into `telemetry.metrics` (the process's default registry, so
 * each test uses a path of its own).
 */
async function requestsAsTenants(telemetry: Telemetry, path: string, tenants: readonly (string | undefined)[]): Promise<void> {
  const server = createServer(
    sightlineHttp((_request, response) => response.end('ok'), { registry: telemetry.metrics, route: (request) => request.url }),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    for (const tenant of tenants) {
      const response = await fetch(`${baseUrlOf(server)}${path}`, { headers: tenant === undefined ? {} : { 'x-tenant-id': tenant } });
      assert.equal(await response.text(), 'ok');
    }
  } finally {
    await closeServer(server);
  }
}

/** The tenant_id values of http_server_request_duration_seconds_count for `route` in a scrape, with their counts. */
function requestCountsByTenant(exposition: string, route: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of exposition.matchAll(/^http_server_request_duration_seconds_count\{([^}]*)\} (\d+)$/gm)) {
    const labels = match[1] as string;
    const tenant = /tenant_id="([^"]*)"/.exec(labels)?.[1];
    if (labels.includes(`http_route="${route}"`) && tenant !== undefined) counts[tenant] = Number(match[2]);
  }
  return counts;
}

/** Runs `fn` with `variables` set in process.env (startTelemetry reads process.env), restoring them after. */
async function withEnv<T>(variables: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  Object.assign(process.env, variables);
  try {
    return await fn();
  } finally {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

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

  const configured: readonly { name: string; options: TelemetryOptions; env: Record<string, string> }[] = [
    {
      name: 'options',
      options: { metrics: { bearerToken: 'opt-s3cret', tenantLabels: tenantLabels.allowList(['acme']) } },
      env: {},
    },
    {
      name: 'SIGHTLINE_METRICS_BEARER_TOKEN and SIGHTLINE_METRICS_TENANT_LABELS',
      options: {},
      env: { SIGHTLINE_METRICS_BEARER_TOKEN: 'env-s3cret', SIGHTLINE_METRICS_TENANT_LABELS: 'allow:acme' },
    },
  ];
  for (const entry of configured) {
    it(`startTelemetry serves with the bearer token and path and applies the tenant policy, set by ${entry.name}`, async (t) => {
      const telemetry = await withEnv(entry.env, () =>
        startTelemetry({
          ...entry.options,
          serviceName: 'metrics-options-test',
          traces: { exporter: 'none' },
          instrumentations: NO_INSTRUMENTATIONS,
          metrics: {
            ...entry.options.metrics,
            exporter: 'prometheus',
            host: '127.0.0.1',
            port: 0,
            path: '/internal/metrics',
            maxSeriesPerMetric: 50,
            defaultMetrics: false,
          },
        }),
      );
      t.after(() => telemetry.shutdown());
      const url = telemetry.metricsUrl;
      assert.ok(url !== undefined && url.endsWith('/internal/metrics'), url);
      const token = telemetry.config.metrics.bearerToken;
      assert.ok(token !== undefined);

      const anonymous = await scrape(url);
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer realm="metrics"');
      assert.ok(!anonymous.body.includes(token), 'the token is not repeated');
      assert.equal((await scrape(url, { authorization: 'Bearer wrong' })).status, 401);
      assert.equal((await scrape(url.replace('/internal/metrics', '/metrics'), { authorization: `Bearer ${token}` })).status, 404);

      const path = `/orders-${configured.indexOf(entry)}`;
      await requestsAsTenants(telemetry, path, ['acme', 'acme', 'globex', 'initech', undefined]);
      const served = await scrape(url, { authorization: `Bearer ${token}` });
      assert.equal(served.status, 200);
      assert.deepEqual(requestCountsByTenant(served.body, path), { acme: 2, other: 2, '': 1 });
      assert.doesNotMatch(served.body, /^(process|nodejs)_/m, 'defaultMetrics: false');
      assert.equal(telemetry.metrics.config.maxSeriesPerMetric, 50);
    });
  }
});

describe('scrapes of the metrics server are not traced', () => {
  it('a scrape makes no server span; an app request, and a request to another path of the metrics server, do', async () => {
    await using receiver = await startHttpReceiver();
    await using app = startChildApp('scrape-app.cjs', {
      env: {
        OTEL_SERVICE_NAME: 'scrape-app',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '600000',
        OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http',
        OTEL_METRICS_EXPORTER: 'prometheus',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: '0',
        SIGHTLINE_HANDLE_SIGNALS: 'true',
      },
    });
    const { port, metricsUrl } = await app.nextMessage<{ port: number; metricsUrl: string }>();
    const metricsPort = new URL(metricsUrl).port;

    for (let i = 0; i < 3; i++) assert.equal((await scrape(`${metricsUrl}?scrape=${i}`)).status, 200);
    assert.equal((await scrape(`http://127.0.0.1:${metricsPort}/not-metrics`)).status, 404);
    assert.equal((await scrape(`http://127.0.0.1:${port}/metrics`)).status, 200, 'the app has a /metrics path of its own');
    app.process.kill('SIGTERM');
    assert.deepEqual(await app.exited(), { code: null, signal: 'SIGTERM' }, app.stderr());

    const servers = receiver
      .spans()
      .filter((span) => span.kind === 'server')
      .map((span) => `${String(span.attributes['server.port'] ?? span.attributes['net.host.port'])} ${String(span.attributes['url.path'])}`)
      .sort();
    assert.deepEqual(servers, [`${metricsPort} /not-metrics`, `${port} /metrics`].sort());
  });
});
