/**
 * The pages and the API as a browser and a script see them: filters, the
 * waterfall with its detail panes and logs, live updates over server-sent
 * events, and text from spans escaped.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { context, SpanKind, SpanStatusCode, trace as traceApi } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { startTraceViewer } from 'sightline-cli';
import type { TraceViewer } from 'sightline-cli';

function tracerFor(viewer: TraceViewer, service: string, t: { after(fn: () => Promise<void>): void }): ReturnType<TracerProvider['getTracer']> {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${viewer.url}/v1/traces` }) })],
  });
  t.after(() => provider.shutdown());
  return provider.getTracer('test');
}

async function flushAll(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
}

describe('the viewer pages and API', () => {
  it('filters the trace list by service, operation, tenant, status and duration', async (t) => {
    await using viewer = await startTraceViewer({ port: 0 });
    const shop = tracerFor(viewer, 'shop', t);
    const worker = tracerFor(viewer, 'worker', t);
    const ids: Record<string, string> = {};
    for (const [name, tenant, failed, service] of [
      ['GET /products/:id', 'acme', false, shop],
      ['POST /orders', 'globex', true, shop],
      ['process order.created', 'acme', false, worker],
    ] as const) {
      const span = service.startSpan(name, { kind: SpanKind.SERVER, attributes: { 'tenant.id': tenant }, startTime: [1_700_000_000, 0] });
      if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end([1_700_000_000, name === 'POST /orders' ? 300_000_000 : 5_000_000]);
      ids[name] = span.spanContext().traceId;
    }
    await flushAll();
    const names = async (query: string): Promise<string[]> =>
      ((await (await fetch(`${viewer.url}/api/traces?${query}`)).json()) as { traces: { rootName: string }[] }).traces.map((trace) => trace.rootName).sort();
    assert.deepEqual(await names('tenant=acme'), ['GET /products/:id', 'process order.created']);
    assert.deepEqual(await names('service=worker'), ['process order.created']);
    assert.deepEqual(await names('operation=orders'), ['POST /orders']);
    assert.deepEqual(await names('status=error'), ['POST /orders']);
    assert.deepEqual(await names('minDurationMs=100'), ['POST /orders']);
    assert.deepEqual(await names('limit=1'), ['process order.created']);
    const item = ((await (await fetch(`${viewer.url}/api/traces?status=error`)).json()) as { traces: Record<string, unknown>[] }).traces[0];
    assert.deepEqual(item, {
      traceId: ids['POST /orders'],
      rootName: 'POST /orders',
      service: 'shop',
      services: ['shop'],
      tenant: 'globex',
      startMs: 1_700_000_000_000,
      durationMs: 300,
      spanCount: 1,
      errorCount: 1,
      status: 'error',
    });
    const bad = await fetch(`${viewer.url}/api/traces?status=broken`);
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /Expected status to be ok or error, got \\"broken\\"/);

    const rows = await (await fetch(`${viewer.url}/?tenant=globex&fragment=rows`)).text();
    assert.match(rows, new RegExp(`href="/traces/${ids['POST /orders']}"`));
    assert.doesNotMatch(rows, /products/);
    const page = await (await fetch(`${viewer.url}/?tenant=globex`)).text();
    assert.match(page, /<option value="globex" selected>/);
  });

  it('shows a trace as a waterfall with detail panes (exception stack, links) and its logs, escaped', async (t) => {
    await using viewer = await startTraceViewer({ port: 0 });
    const tracer = tracerFor(viewer, 'shop', t);
    const loggerProvider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'shop' }),
      processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${viewer.url}/v1/logs` }) })],
    });
    t.after(() => loggerProvider.shutdown());
    const other = tracer.startSpan('publish order.created');
    other.end();
    const traceId = tracer.startActiveSpan('POST /orders', { kind: SpanKind.SERVER }, (root) => {
      const child = tracer.startSpan('process order.created', { links: [{ context: other.spanContext() }] }, traceApi.setSpan(context.active(), root));
      child.recordException(new Error('<script>alert(1)</script>'));
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'handler failed' });
      child.end();
      loggerProvider.getLogger('pino').emit({ severityNumber: SeverityNumber.ERROR, body: 'billing failed for <b>order</b>', context: traceApi.setSpan(context.active(), child) });
      root.end();
      return root.spanContext().traceId;
    });
    await loggerProvider.forceFlush();
    await flushAll();

    const html = await (await fetch(`${viewer.url}/traces/${traceId}`)).text();
    assert.match(html, /class="row error" id="span-[0-9a-f]{16}"/, 'the failed span stands out');
    assert.match(html, /<pre class="stack">Error: &#60;script&#62;alert\(1\)&#60;\/script&#62;\n\s+at /, 'the exception with its stack trace, escaped');
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, new RegExp(`href="/traces/${other.spanContext().traceId}#span-${other.spanContext().spanId}"`), 'the link opens the linked trace');
    assert.match(html, /billing failed for &#60;b&#62;order&#60;\/b&#62;/, 'the log line beside the trace');
    assert.match(html, /class="lane ticks"><span style="left:0%">0.00 ms<\/span>/, 'a time axis');
    assert.equal((await fetch(`${viewer.url}/assets/viewer.js`)).headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal((await fetch(`${viewer.url}/traces/${'0'.repeat(32)}`)).status, 404);
  });

  it('tells open pages about new data over server-sent events', async (t) => {
    await using viewer = await startTraceViewer({ port: 0 });
    const controller = new AbortController();
    t.after(() => controller.abort());
    const response = await fetch(`${viewer.url}/api/live`, { signal: controller.signal });
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    tracerFor(viewer, 'shop', t).startSpan('GET /health').end();
    let received = '';
    while (!received.includes('event: update')) {
      const { value, done } = await reader.read();
      if (done) break;
      received += value;
    }
    assert.match(received, /event: update\ndata: \["traces"\]/);
  });
});
