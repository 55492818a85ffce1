/**
 * The viewer receives what real OpenTelemetry exporters send: traces over
 * OTLP/HTTP protobuf (gzip), OTLP/HTTP JSON and OTLP/gRPC (gzip), logs and
 * metrics; it refuses what is not OTLP with 400/413/415 and a reason, counts
 * it and keeps serving; it stays within its bounds.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { context, SpanKind, SpanStatusCode, trace as traceApi } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { startTraceViewer } from 'sightline-cli';
import { PROTOS_DIR, SIGNAL_SERVICES } from '../src/dev/otlp/wire.ts';

const resource = resourceFromAttributes({ 'service.name': 'orders', 'deployment.environment.name': 'test' });

function provider(exporter: SpanExporter): TracerProvider {
  return new TracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor({ exporter })] });
}

/** Writes a server span with a failing child (exception event) and a link; returns the trace id. */
function writeTrace(tracer: ReturnType<TracerProvider['getTracer']>, linkTo: { traceId: string; spanId: string } | undefined): { traceId: string; spanId: string } {
  return tracer.startActiveSpan('POST /orders', { kind: SpanKind.SERVER, attributes: { 'tenant.id': 'acme', 'http.route': '/orders' } }, (root) => {
    const child = tracer.startSpan(
      'process order.created',
      { kind: SpanKind.CONSUMER, links: linkTo ? [{ context: { ...linkTo, traceFlags: 1 }, attributes: { 'messaging.message.id': 'e-1' } }] : [] },
      traceApi.setSpan(context.active(), root),
    );
    child.recordException(new TypeError('card declined'));
    child.addEvent('sightline.dead_letter', { 'sightline.reason': 'max deliveries' });
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
    child.end();
    root.end();
    return { traceId: root.spanContext().traceId, spanId: root.spanContext().spanId };
  });
}

interface ApiSpan {
  name: string;
  kind: string;
  service: string;
  parentSpanId: string | null;
  status: { code: string; message: string };
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
  links: { traceId: string; spanId: string; attributes: Record<string, unknown> }[];
  resource: Record<string, unknown>;
  scope: { name: string; version: string };
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  assert.equal(response.status, 200, `${url}: ${await response.clone().text()}`);
  return (await response.json()) as T;
}

describe('the viewer receives OTLP', () => {
  it('takes traces over HTTP protobuf (gzip), HTTP JSON and gRPC (gzip), with events, links, resource and scope', async (t) => {
    await using viewer = await startTraceViewer({ port: 0 });
    assert.ok(viewer.grpcUrl !== undefined);
    const exporters: [string, SpanExporter][] = [
      ['http/protobuf', new ProtoTraceExporter({ url: `${viewer.url}/v1/traces`, compression: CompressionAlgorithm.GZIP })],
      ['http/json', new JsonTraceExporter({ url: `${viewer.url}/v1/traces` })],
      ['grpc', new GrpcTraceExporter({ url: viewer.grpcUrl, compression: CompressionAlgorithm.GZIP })],
    ];
    let previous: { traceId: string; spanId: string } | undefined;
    for (const [protocol, exporter] of exporters) {
      const tracerProvider = provider(exporter);
      t.after(() => tracerProvider.shutdown());
      const ids = writeTrace(tracerProvider.getTracer('orders-module', '1.2.3'), previous);
      await tracerProvider.forceFlush();

      const { spans } = await getJson<{ spans: ApiSpan[] }>(`${viewer.url}/api/traces/${ids.traceId}`);
      assert.deepEqual(spans.map((span) => [span.name, span.kind, span.service]), [
        ['POST /orders', 'server', 'orders'],
        ['process order.created', 'consumer', 'orders'],
      ], protocol);
      const [root, child] = spans;
      assert.equal(root?.attributes['tenant.id'], 'acme');
      assert.equal(root?.resource['deployment.environment.name'], 'test');
      assert.deepEqual(root?.scope, { name: 'orders-module', version: '1.2.3' });
      assert.deepEqual(child?.status, { code: 'error', message: 'card declined' });
      const exception = child?.events.find((event) => event.name === 'exception');
      assert.equal(exception?.attributes['exception.type'], 'TypeError', protocol);
      assert.match(String(exception?.attributes['exception.stacktrace']), /TypeError: card declined\n\s+at /);
      assert.equal(child?.events[1]?.attributes['sightline.reason'], 'max deliveries');
      if (previous) assert.deepEqual(child?.links, [{ ...previous, attributes: { 'messaging.message.id': 'e-1' } }], protocol);
      previous = ids;
    }
    const { rejected } = await getJson<{ rejected: Record<string, number> }>(`${viewer.url}/api/status`);
    assert.deepEqual(rejected, { 400: 0, 413: 0, 415: 0 });
  });

  it('takes logs (protobuf) with their trace context, filtered by trace, tenant and severity', async (t) => {
    await using viewer = await startTraceViewer({ port: 0 });
    const loggerProvider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${viewer.url}/v1/logs` }) })] });
    t.after(() => loggerProvider.shutdown());
    const logger = loggerProvider.getLogger('pino');
    const tracerProvider = new TracerProvider({ resource });
    const traceId = tracerProvider.getTracer('test').startActiveSpan('GET /orders/:id', (span) => {
      const inSpan = traceApi.setSpan(context.active(), span);
      logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'info', body: 'order loaded', attributes: { 'tenant.id': 'acme' }, context: inSpan });
      logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'error', body: 'payment failed', attributes: { 'tenant.id': 'acme' }, context: inSpan });
      span.end();
      return span.spanContext().traceId;
    });
    logger.emit({ severityNumber: SeverityNumber.WARN, body: 'outside any span', attributes: { 'tenant.id': 'globex' } });
    await loggerProvider.forceFlush();

    type Logs = { logs: { body: string; traceId: string | null; severityText: string; service: string }[] };
    const byTrace = await getJson<Logs>(`${viewer.url}/api/logs?traceId=${traceId}`);
    assert.deepEqual(byTrace.logs.map((log) => [log.body, log.severityText, log.service, log.traceId]), [
      ['order loaded', 'info', 'orders', traceId],
      ['payment failed', 'error', 'orders', traceId],
    ]);
    assert.deepEqual((await getJson<Logs>(`${viewer.url}/api/logs?tenant=globex`)).logs.map((log) => [log.body, log.traceId]), [['outside any span', null]]);
    assert.deepEqual((await getJson<Logs>(`${viewer.url}/api/logs?severity=warn`)).logs.map((log) => log.body), ['payment failed', 'outside any span']);
    assert.equal((await fetch(`${viewer.url}/api/logs?severity=loud`)).status, 400);
  });

  it('takes pushed metrics (JSON, delta or cumulative) and shows rate, p95 and 5xx ratio by route', async (t) => {
    await using viewer = await startTraceViewer({ port: 0 });
    const exporter = new OTLPMetricExporter({ url: `${viewer.url}/v1/metrics`, temporalityPreference: AggregationTemporality.DELTA });
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const meterProvider = new MeterProvider({ resource, readers: [reader] });
    t.after(() => meterProvider.shutdown());
    const duration = meterProvider.getMeter('http').createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] } });
    const breaker = meterProvider.getMeter('sightline').createGauge('sightline_circuit_breaker_state');
    for (const state of ['closed', 'open', 'half_open']) breaker.record(state === 'closed' ? 1 : 0, { breaker: 'payments', state });
    await meterProvider.forceFlush();
    for (let i = 0; i < 100; i++) duration.record(i < 90 ? 0.02 : 0.4, { 'http.route': '/orders', 'http.response.status_code': i < 95 ? 201 : 503 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    for (const state of ['closed', 'open', 'half_open']) breaker.record(state === 'open' ? 1 : 0, { breaker: 'payments', state });
    await meterProvider.forceFlush();

    const summary = await getJson<{ routes: { job: string; route: string; rate: number; p95Ms: number; errorRatio: number }[]; breakers: { breaker: string; state: string; changes: { state: string }[] }[] }>(
      `${viewer.url}/api/metrics`,
    );
    const route = summary.routes.find((row) => row.route === '/orders');
    assert.ok(route, JSON.stringify(summary));
    assert.equal(route.job, 'orders');
    assert.ok(route.rate > 0);
    assert.ok(route.p95Ms > 250 && route.p95Ms <= 500, `p95 ${route.p95Ms} ms falls in the 0.25-0.5 s bucket`);
    assert.ok(Math.abs(route.errorRatio - 0.05) < 1e-9, `5xx ratio ${route.errorRatio}`);
    assert.deepEqual(summary.breakers.map((b) => [b.breaker, b.state, b.changes.map((c) => c.state)]), [['payments', 'open', ['closed', 'open']]]);
  });
});

describe('the viewer refuses what is not OTLP', () => {
  it('answers a truncated protobuf 400, a wrong content type 415 and a 100 MB body 413, with reasons, counts them, and keeps serving', async (t) => {
    await using viewer = await startTraceViewer({ port: 0 });
    const reasons: string[] = [];
    viewer.ingest.listen({ onRejected: (rejection) => reasons.push(`${rejection.status} ${rejection.signal}`) });
    const tracerProvider = provider(new ProtoTraceExporter({ url: `${viewer.url}/v1/traces` }));
    t.after(() => tracerProvider.shutdown());

    const truncated = await fetch(`${viewer.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array([0x0a, 0x20, 0x0a, 0x05]) });
    assert.equal(truncated.status, 400);
    assert.match(((await truncated.json()) as { message: string }).message, /Not a valid protobuf ExportTraceServiceRequest: index out of range/);

    const wrongType = await fetch(`${viewer.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    assert.equal(wrongType.status, 415);
    assert.match(await wrongType.text(), /application\/x-protobuf \(OTEL_EXPORTER_OTLP_PROTOCOL=http\/protobuf\)/);

    const huge = await fetch(`${viewer.url}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array(100 * 1024 * 1024) });
    assert.equal(huge.status, 413);
    assert.match(await huge.text(), /larger than 16777216 bytes/);

    const bomb = await fetch(`${viewer.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(Buffer.alloc(20 * 1024 * 1024, 32)),
    });
    assert.equal(bomb.status, 413, 'the gunzipped size counts too');

    const wrongField = await fetch(`${viewer.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'not-hex', spanId: '0102030405060708', name: 'x' }] }] }] }),
    });
    assert.equal(wrongField.status, 400);
    assert.match(await wrongField.text(), /body\.resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId must be 16 bytes/);

    const traceId = tracerProvider.getTracer('test').startActiveSpan('still serving', (span) => {
      span.end();
      return span.spanContext().traceId;
    });
    await tracerProvider.forceFlush();
    assert.equal((await fetch(`${viewer.url}/api/traces/${traceId}`)).status, 200);
    assert.deepEqual((await getJson<{ rejected: Record<string, number> }>(`${viewer.url}/api/status`)).rejected, { 400: 2, 413: 2, 415: 1 });
    assert.deepEqual(reasons, ['400 traces', '415 logs', '413 metrics', '413 traces', '400 traces']);
  });

  it('keeps memory bounded: the least recently updated traces and the oldest log records go first', async (t) => {
    await using viewer = await startTraceViewer({ port: 0, limits: { maxTraces: 3, maxLogs: 2 } });
    const tracerProvider = provider(new JsonTraceExporter({ url: `${viewer.url}/v1/traces` }));
    t.after(() => tracerProvider.shutdown());
    const ids = ['a', 'b', 'c', 'd', 'e'].map((name) =>
      tracerProvider.getTracer('test').startActiveSpan(name, (span) => {
        span.end();
        return span.spanContext().traceId;
      }),
    );
    await tracerProvider.forceFlush();
    assert.deepEqual(viewer.store.list().map((trace) => trace.traceId), ids.slice(2).reverse());

    const loggerProvider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${viewer.url}/v1/logs` }) })] });
    t.after(() => loggerProvider.shutdown());
    for (const body of ['one', 'two', 'three']) loggerProvider.getLogger('test').emit({ body });
    await loggerProvider.forceFlush();
    assert.deepEqual(viewer.ingest.logs.query().map((log) => log.body), ['two', 'three']);
    assert.equal(viewer.ingest.logs.dropped, 1);
  });
});

describe('the shipped protocol definitions', () => {
  it('are the official opentelemetry-proto files the tests decode with', async () => {
    const official = process.env['SIGHTLINE_OTLP_PROTOS'];
    assert.ok(official, 'SIGHTLINE_OTLP_PROTOS is set (run with scripts/test.sh)');
    const files = [
      ...Object.values(SIGNAL_SERVICES).map((names) => names.proto),
      'opentelemetry/proto/trace/v1/trace.proto',
      'opentelemetry/proto/logs/v1/logs.proto',
      'opentelemetry/proto/metrics/v1/metrics.proto',
      'opentelemetry/proto/common/v1/common.proto',
      'opentelemetry/proto/resource/v1/resource.proto',
    ];
    for (const file of files) assert.equal(await readFile(join(PROTOS_DIR, file), 'utf8'), await readFile(join(official, file), 'utf8'), file);
  });
});
