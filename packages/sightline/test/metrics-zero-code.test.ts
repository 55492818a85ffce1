import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { startChildApp } from './support/child-app.ts';
import { freePort } from './support/free-port.ts';
import { attributeOf, startMetricsReceiver } from './support/otlp-metrics-receiver.ts';
import { waitFor } from './support/poll.ts';
import { promtoolCheckMetrics, samplesOf } from './support/prometheus-text.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PG_ENV = { PGHOST: '127.0.0.1', PGPORT: '5432', PGUSER: 'postgres', PGDATABASE: 'test' };

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** The upstream the app fetches from on every request. */
async function startUpstream(t: { after(fn: () => unknown): void }): Promise<string> {
  const server = createServer((_request, response) => response.end('ok'));
  const port = await listen(server);
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${port}/`;
}

/** Starts a plain fixture app (no Sightline import) with only the flag and `env`; returns its base URL and what it reported. */
async function startApp<M extends { port: number }>(
  t: { after(fn: () => unknown): void },
  env: Record<string, string>,
  fixture = 'zero-code-express-app.ts',
): Promise<{ base: string; started: M }> {
  const app = startChildApp(fixture, {
    execArgv: ['--import', 'sightline/register'],
    env: { PATH: process.env['PATH'] ?? '', OTEL_SERVICE_NAME: 'zero-code', OTEL_TRACES_EXPORTER: 'none', ...PG_ENV, ...env },
  });
  t.after(() => app[Symbol.asyncDispose]());
  const started = await app.nextMessage<M>();
  return { base: `http://127.0.0.1:${started.port}`, started };
}

/** Serves the app's metrics on a free port: the variables and the URL. */
async function prometheusExport(): Promise<{ env: Record<string, string>; url: string }> {
  const port = await freePort();
  return {
    env: { OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: String(port) },
    url: `http://127.0.0.1:${port}/metrics`,
  };
}

/** The OpenMetrics text once the three requests to /users/:id are counted under that route; asserts the bucket and the exemplar. */
async function serverHistogramWithRoute(metricsUrl: string): Promise<string> {
  const openMetrics = await waitFor('the three server requests recorded under /users/:id', async () => {
    const text = await (await fetch(metricsUrl, { headers: { accept: 'application/openmetrics-text' } })).text();
    const count = samplesOf(text, 'http_server_request_duration_seconds_count', { http_route: '/users/:id' })[0]?.value;
    return count === 3 ? text : undefined;
  }, 20_000);
  // The 0.5 s objective is a bucket boundary (how many requests fall under it depends on the machine's load).
  const bucket = (le: string) => samplesOf(openMetrics, 'http_server_request_duration_seconds_bucket', { http_route: '/users/:id', le })[0]?.value;
  assert.ok((bucket('0.5') ?? -1) >= 0, 'a 0.5 s bucket');
  assert.equal(bucket('+Inf'), 3);
  assert.match(
    openMetrics,
    new RegExp(`^http_server_request_duration_seconds_bucket\\{[^}]*http_route="/users/:id"[^}]*\\} \\d+ # \\{[^}]*trace_id="${TRACE_ID}"`, 'm'),
    'an OpenMetrics exemplar with the incoming trace id',
  );
  return openMetrics;
}

/** Three requests to /users/:id, each continuing a sampled incoming trace. */
async function sendRequests(base: string): Promise<void> {
  for (const id of ['1', '2', '3']) {
    const response = await fetch(`${base}/users/${id}`, { headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` } });
    assert.equal(response.status, 200);
    await response.text();
  }
}

describe('RED metrics from the flag alone, in a plain Express app', () => {
  it('serves the server, client and database histograms with routes and exemplars, and the OpenTelemetry API counter; promtool accepts it', async (t) => {
    const metrics = await prometheusExport();
    const { base } = await startApp(t, { UPSTREAM_URL: await startUpstream(t), ...metrics.env });
    await sendRequests(base);
    const openMetrics = await serverHistogramWithRoute(metrics.url);
    assert.ok((samplesOf(openMetrics, 'http_client_request_duration_seconds_count')[0]?.value ?? 0) >= 3, 'client histogram');
    assert.ok(
      (samplesOf(openMetrics, 'db_client_operation_duration_seconds_count', { db_system_name: 'postgresql' })[0]?.value ?? 0) >= 3,
      'database histogram',
    );
    assert.equal(samplesOf(openMetrics, 'app_jobs_total', { job_kind: 'lookup' })[0]?.value, 3, 'the OpenTelemetry API counter');
    assert.equal(samplesOf(openMetrics, 'http_server_active_requests', { http_request_method: 'GET' })[0]?.value, 0);
    await promtoolCheckMetrics(await (await fetch(metrics.url)).text());
  });

  it('gives Express 4 routes the same way', async (t) => {
    const metrics = await prometheusExport();
    const { base, started } = await startApp<{ port: number; expressVersion: string }>(t, {
      UPSTREAM_URL: await startUpstream(t),
      EXPRESS_MAJOR: '4',
      ...metrics.env,
    });
    assert.match(started.expressVersion, /^4\./);
    await sendRequests(base);
    await serverHistogramWithRoute(metrics.url);
  });
});

describe('RED metrics from the flag alone, in a plain Fastify app', () => {
  for (const major of ['5', '4'] as const) {
    it(`records Fastify ${major} requests under the route template (prefix included), with exemplars`, async (t) => {
      const metrics = await prometheusExport();
      const { base, started } = await startApp<{ port: number; fastifyVersion: string }>(
        t,
        { FASTIFY_MAJOR: major, ...metrics.env },
        'zero-code-fastify-app.ts',
      );
      assert.equal(started.fastifyVersion.split('.')[0], major);
      await sendRequests(base);
      const openMetrics = await serverHistogramWithRoute(metrics.url);
      const missing = await fetch(`${base}/nowhere`);
      assert.equal(missing.status, 404);
      await missing.text();
      const unmatched = await waitFor('the unmatched request recorded', async () => {
        const text = await (await fetch(metrics.url)).text();
        return samplesOf(text, 'http_server_request_duration_seconds_count', { http_response_status_code: '404' })[0];
      }, 20_000);
      assert.equal(unmatched.labels['http_route'], '', 'a request no route matched has no route');
      assert.ok(!openMetrics.includes('http_route="/users/1"'), 'no path is taken for a route');
    });
  }
});

describe('OTLP push of the zero-code metrics', () => {
  for (const protocol of ['grpc', 'http/protobuf', 'http/json'] as const) {
    it(`pushes the three histograms and the counter under their OpenTelemetry names over OTLP ${protocol}`, async (t) => {
      const receiver = await startMetricsReceiver(protocol);
      t.after(() => receiver.close());
      const { base } = await startApp(t, {
        UPSTREAM_URL: await startUpstream(t),
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.endpoint,
        OTEL_METRIC_EXPORT_INTERVAL: '300',
      });
      await sendRequests(base);
      const metrics = await waitFor('a push with the three server requests', () => {
        const latest = receiver.latest();
        const point = latest.get('http.server.request.duration')?.histogram?.dataPoints?.find((p) => attributeOf(p, 'http.route') === '/users/:id');
        return Number(point?.count ?? 0) >= 3 ? latest : undefined;
      }, 20_000);
      for (const name of ['http.server.request.duration', 'http.client.request.duration', 'db.client.operation.duration']) {
        const metric = metrics.get(name);
        assert.equal(metric?.unit, 's', name);
        const points = metric?.histogram?.dataPoints ?? [];
        assert.ok(points.some((point) => Number(point.count) >= 3), `${name}: the three requests`);
        // OpenTelemetry's OTLP transformer (0.301.2, the newest) encodes no exemplars, and the JS metrics SDK
        // has none to give it (opentelemetry-js#5147); docs/metrics.md says so. When this fails, it does: update the docs.
        assert.ok(points.every((point) => (point.exemplars ?? []).length === 0), `${name}: exemplars appeared in the push; update docs/metrics.md`);
      }
      const jobs = metrics.get('app.jobs')?.sum?.dataPoints?.[0];
      assert.equal(Number(jobs?.asDouble ?? jobs?.asInt), 3);
    });
  }
});
