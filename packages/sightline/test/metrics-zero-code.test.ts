import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import protobuf from 'protobufjs';
import { startChildApp } from './support/child-app.ts';
import { freePort } from './support/free-port.ts';
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

/** Starts the plain Express fixture with only the flag and `env`; returns its base URL. */
async function startApp(t: { after(fn: () => unknown): void }, env: Record<string, string>): Promise<string> {
  const app = startChildApp('zero-code-express-app.ts', {
    execArgv: ['--import', 'sightline/register'],
    env: { PATH: process.env['PATH'] ?? '', OTEL_SERVICE_NAME: 'zero-code', OTEL_TRACES_EXPORTER: 'none', ...PG_ENV, ...env },
  });
  t.after(() => app[Symbol.asyncDispose]());
  const { port } = await app.nextMessage<{ port: number }>();
  return `http://127.0.0.1:${port}`;
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
    const metricsPort = await freePort();
    const base = await startApp(t, {
      UPSTREAM_URL: await startUpstream(t),
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    });
    await sendRequests(base);
    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    const openMetrics = await waitFor('the three server requests recorded', async () => {
      const text = await (await fetch(metricsUrl, { headers: { accept: 'application/openmetrics-text' } })).text();
      const count = samplesOf(text, 'http_server_request_duration_seconds_count', { http_route: '/users/:id' })[0]?.value;
      return count === 3 ? text : undefined;
    }, 20_000);
    // The 0.5 s bucket is there (how many requests fall in it depends on the machine, not on Sightline).
    assert.equal(typeof samplesOf(openMetrics, 'http_server_request_duration_seconds_bucket', { http_route: '/users/:id', le: '0.5' })[0]?.value, 'number');
    assert.match(
      openMetrics,
      new RegExp(`^http_server_request_duration_seconds_bucket\\{[^}]*http_route="/users/:id"[^}]*\\} \\d+ # \\{[^}]*trace_id="${TRACE_ID}"`, 'm'),
      'an OpenMetrics exemplar with the incoming trace id',
    );
    assert.ok((samplesOf(openMetrics, 'http_client_request_duration_seconds_count')[0]?.value ?? 0) >= 3, 'client histogram');
    assert.ok(
      (samplesOf(openMetrics, 'db_client_operation_duration_seconds_count', { db_system_name: 'postgresql' })[0]?.value ?? 0) >= 3,
      'database histogram',
    );
    assert.equal(samplesOf(openMetrics, 'app_jobs_total', { job_kind: 'lookup' })[0]?.value, 3, 'the OpenTelemetry API counter');
    assert.equal(samplesOf(openMetrics, 'http_server_active_requests', { http_request_method: 'GET' })[0]?.value, 0);
    await promtoolCheckMetrics(await (await fetch(metricsUrl)).text());
  });

  for (const protocol of ['http/protobuf', 'http/json'] as const) {
    it(`pushes the same histograms and the counter under their OpenTelemetry names over OTLP ${protocol}`, async (t) => {
      const receiver = await startMetricsReceiver();
      t.after(() => receiver.close());
      const base = await startApp(t, {
        UPSTREAM_URL: await startUpstream(t),
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.url,
        OTEL_METRIC_EXPORT_INTERVAL: '300',
      });
      await sendRequests(base);
      const metrics = await waitFor('a push with the three server requests', () => {
        const latest = receiver.latest();
        const server = latest.get('http.server.request.duration');
        const point = server?.histogram?.dataPoints?.find((p) => attribute(p, 'http.route') === '/users/:id');
        return Number(point?.count ?? 0) >= 3 ? latest : undefined;
      }, 20_000);
      assert.equal(metrics.get('http.server.request.duration')?.unit, 's');
      assert.ok(metrics.get('http.client.request.duration')?.histogram !== undefined);
      assert.equal(metrics.get('db.client.operation.duration')?.unit, 's');
      const jobs = metrics.get('app.jobs')?.sum?.dataPoints?.[0];
      assert.equal(Number(jobs?.asDouble ?? jobs?.asInt), 3);
    });
  }
});

interface WireValue {
  readonly stringValue?: string;
}
interface WirePoint {
  readonly attributes?: readonly { key: string; value?: WireValue }[];
  readonly count?: string | number;
  readonly asDouble?: number;
  readonly asInt?: string | number;
}
interface WireMetric {
  readonly name: string;
  readonly unit?: string;
  readonly histogram?: { readonly dataPoints?: readonly WirePoint[] };
  readonly sum?: { readonly dataPoints?: readonly WirePoint[] };
}

function attribute(point: WirePoint, key: string): string | undefined {
  return point.attributes?.find((a) => a.key === key)?.value?.stringValue;
}

/** An OTLP/HTTP metrics receiver decoding with the official protos; `latest()` is the last push by metric name. */
async function startMetricsReceiver(): Promise<{ url: string; latest(): Map<string, WireMetric>; close(): Promise<void> }> {
  const dir = process.env['SIGHTLINE_OTLP_PROTOS'];
  assert.ok(dir, 'SIGHTLINE_OTLP_PROTOS is set (run with bash scripts/test.sh)');
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(dir, target);
  await root.load('opentelemetry/proto/collector/metrics/v1/metrics_service.proto', { keepCase: false });
  const requestType = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
  let latest = new Map<string, WireMetric>();
  const read = async (request: IncomingMessage): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const server = createServer((request, response) => {
    void read(request).then((body) => {
      const decoded = (request.headers['content-type'] ?? '').startsWith('application/json')
        ? (JSON.parse(body.toString('utf8')) as { resourceMetrics?: { scopeMetrics?: { metrics?: WireMetric[] }[] }[] })
        : (requestType.toObject(requestType.decode(body), { longs: String, oneofs: true }) as {
            resourceMetrics?: { scopeMetrics?: { metrics?: WireMetric[] }[] }[];
          });
      const metrics = new Map<string, WireMetric>();
      for (const resource of decoded.resourceMetrics ?? []) {
        for (const scope of resource.scopeMetrics ?? []) for (const metric of scope.metrics ?? []) metrics.set(metric.name, metric);
      }
      latest = metrics;
      response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/x-protobuf' }).end();
    });
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/v1/metrics`,
    latest: () => latest,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
