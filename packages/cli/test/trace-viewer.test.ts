import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { context, SpanKind, SpanStatusCode, trace as traceApi } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { startTraceViewer } from '../src/dev/viewer-server.ts';
import { buildTree, flatten, renderTraceText } from '../src/dev/trace-tree.ts';
import { waitFor } from '../../sightline/test/support/poll.ts';

/** A tracer provider that exports each span at once, over OTLP/HTTP JSON, to `url`. */
function providerExportingTo(url: string): TracerProvider {
  return new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'orders' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${url}/v1/traces` }) })],
  });
}

describe('trace viewer', () => {
  it('receives OTLP/HTTP JSON from the real exporter and shows the trace as a tree and as pages', async (t) => {
    await using viewer = await startTraceViewer({ port: 0 });
    const provider = providerExportingTo(viewer.url);
    t.after(() => provider.shutdown());
    const tracer = provider.getTracer('test');

    const traceId = tracer.startActiveSpan('GET /orders/:id', { kind: SpanKind.SERVER, attributes: { 'tenant.id': 'acme' } }, (root) => {
      const child = tracer.startSpan('SELECT orders', { kind: SpanKind.CLIENT }, traceApi.setSpan(context.active(), root));
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'timeout <script>' });
      child.end();
      root.end();
      return root.spanContext().traceId;
    });
    await provider.forceFlush();

    const trace = viewer.store.get(traceId);
    assert.ok(trace, 'the trace arrived');
    assert.deepEqual(flatten(buildTree(trace)).map(({ span, depth }) => [span.name, span.kind, span.serviceName, depth]), [
      ['GET /orders/:id', 'server', 'orders', 0],
      ['SELECT orders', 'client', 'orders', 1],
    ]);

    const text = renderTraceText(trace).split('\n');
    assert.match(text[1] ?? '', /^ {2}GET \/orders\/:id \[server, orders\] .* tenant\.id=acme$/);
    assert.match(text[2] ?? '', /^ {4}SELECT orders \[client, orders\] .* ERROR$/);

    const list = await fetch(`${viewer.url}/`).then((r) => r.text());
    assert.match(list, new RegExp(`href="/traces/${traceId}"`));
    const detail = await fetch(`${viewer.url}/traces/${traceId}`).then((r) => r.text());
    assert.match(detail, /timeout &#60;script&#62;/, 'span text is escaped');
    assert.doesNotMatch(detail, /<script>/);
  });

  it('refuses protobuf and malformed bodies with a reason, and keeps serving', async () => {
    await using viewer = await startTraceViewer({ port: 0 });
    const protobuf = await fetch(`${viewer.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array([1, 2]) });
    assert.equal(protobuf.status, 415);
    assert.match(await protobuf.text(), /OTEL_EXPORTER_OTLP_PROTOCOL=http\/json/);

    const malformed = await fetch(`${viewer.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'not-hex', spanId: '01', name: 'x' }] }] }] }),
    });
    assert.equal(malformed.status, 400);
    assert.match(await malformed.text(), /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId must be a hex string/);

    const notJson = await fetch(`${viewer.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    assert.equal(notJson.status, 400);
    assert.equal((await fetch(`${viewer.url}/api/traces`)).status, 200);
  });

  it('keeps memory bounded: the least recently updated traces go first', async (t) => {
    await using viewer = await startTraceViewer({ port: 0, limits: { maxTraces: 3 } });
    const provider = providerExportingTo(viewer.url);
    t.after(() => provider.shutdown());
    const ids = ['a', 'b', 'c', 'd', 'e'].map((name) =>
      provider.getTracer('test').startActiveSpan(name, (span) => {
        span.end();
        return span.spanContext().traceId;
      }),
    );
    await provider.forceFlush();
    assert.deepEqual(viewer.store.list().map((trace) => trace.traceId), ids.slice(2).reverse());
  });
});

describe('sightline dev', () => {
  it('prints where to send traces, prints each settled trace as a tree, and stops on SIGINT', async (t) => {
    const bin = fileURLToPath(new URL('../bin/sightline.js', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=source', bin, 'dev', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    t.after(() => child.kill('SIGKILL'));
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = once(child, 'exit');

    const url = await waitFor('the viewer URL', () => /OTEL_EXPORTER_OTLP_ENDPOINT=(http:\/\/\S+)/.exec(output)?.[1], 20_000);
    const provider = providerExportingTo(url);
    t.after(() => provider.shutdown());
    provider.getTracer('test').startActiveSpan('checkout', (span) => span.end());
    await provider.forceFlush();
    await waitFor('the printed trace', () => (/ {2}checkout \[internal, orders\]/.test(output) ? true : undefined), 20_000);

    child.kill('SIGINT');
    const [code] = (await exited) as [number | null, NodeJS.Signals | null];
    assert.equal(code, 0);
  });
});

