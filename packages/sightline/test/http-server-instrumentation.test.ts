/**
 * Sightline's node:http server instrumentation on its own, without a
 * middleware (what `--import sightline/register` gives a plain server): the
 * span's attributes and name, the request metrics, what it leaves alone, the
 * listener binding's bookkeeping, and that disabling it restores node:http.
 * (With each middleware it is covered by the shared adapter scenarios.)
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { RequestListener } from 'node:http';
import { request as sendRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { createMetricsRegistry } from 'sightline/metrics';
import type { MetricsRegistry } from 'sightline';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { HttpServerInstrumentation } from '../src/telemetry/http-server/http-server-instrumentation.ts';
import { contextHeaders } from '../src/telemetry/propagation/create-propagator.ts';
import { createSampler, samplerReadsAttributes } from '../src/telemetry/sampling/create-sampler.ts';
import { baseUrlOf, closeServer, startHttpTracing } from './support/http-server-harness.ts';
import type { HttpTracing } from './support/http-server-harness.ts';
import { waitFor } from './support/poll.ts';
import { sampleValue } from './support/prometheus-text.ts';

const DURATION = 'http_server_request_duration_seconds_count';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

void describe("Sightline's node:http server instrumentation without middleware", () => {
  let tracing: HttpTracing;
  let registry: MetricsRegistry;
  let instrumentation: HttpServerInstrumentation;
  before(() => {
    tracing = startHttpTracing('sightline');
    registry = createMetricsRegistry({ defaultMetrics: false });
    instrumentation = new HttpServerInstrumentation({
      registry,
      ignoreIncomingRequest: (request) => request.url === '/metrics',
    });
    instrumentation.setTracerProvider(trace.getTracerProvider());
    instrumentation.enable();
  });
  after(async () => {
    instrumentation.disable();
    await tracing.close();
  });

  async function serve(listener: RequestListener, t: { after(fn: () => Promise<void>): void }): Promise<string> {
    const server = createServer(listener);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(() => closeServer(server));
    tracing.exporter.reset();
    return baseUrlOf(server);
  }

  const serverSpan = (path: string) =>
    waitFor(`the server span of ${path}`, () => tracing.serverSpans().find((span) => span.attributes['url.path'] === path));

  void it('continues the incoming trace with the stable HTTP attributes, redacting signed query parameters', async (t) => {
    const url = await serve((_request, response) => response.end('ok'), t);
    const response = await fetch(`${url}/files/report.pdf?sig=s3cr3t&page=2`, {
      headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, 'user-agent': 'test-agent', 'x-forwarded-for': '203.0.113.9, 10.0.0.1' },
    });
    assert.equal(await response.text(), 'ok');

    const span = await serverSpan('/files/report.pdf');
    assert.equal(span.spanContext().traceId, TRACE_ID);
    assert.equal(span.parentSpanContext?.spanId, '00f067aa0ba902b7');
    assert.equal(span.name, 'GET');
    assert.equal(span.instrumentationScope.name, 'sightline/http-server');
    assert.deepEqual(
      { ...span.attributes, 'network.peer.port': typeof span.attributes['network.peer.port'] },
      {
        'http.request.method': 'GET',
        'url.scheme': 'http',
        'url.path': '/files/report.pdf',
        'url.query': 'sig=REDACTED&page=2',
        'server.address': '127.0.0.1',
        'server.port': Number(new URL(url).port),
        'network.peer.address': '127.0.0.1',
        'network.peer.port': 'number',
        'network.protocol.version': '1.1',
        'user_agent.original': 'test-agent',
        'client.address': '203.0.113.9',
        'http.response.status_code': 200,
      },
    );
    assert.equal(span.status.code, SpanStatusCode.UNSET);
  });

  void it('records every request once, with an empty route when nothing names one, and a 5xx as a server error', async (t) => {
    const url = await serve((request, response) => {
      response.statusCode = request.url === '/fail' ? 503 : 204;
      response.end();
    }, t);
    for (const path of ['/a', '/b', '/fail']) await (await fetch(`${url}${path}`)).arrayBuffer();

    const failed = await serverSpan('/fail');
    assert.equal(failed.status.code, SpanStatusCode.ERROR);
    assert.equal(failed.attributes['error.type'], '503');
    const text = await registry.render('prometheus');
    assert.equal(sampleValue(text, DURATION, { http_route: '', http_response_status_code: '204', http_request_method: 'GET' }), 2);
    assert.equal(sampleValue(text, DURATION, { http_route: '', http_response_status_code: '503' }), 1);
    assert.equal(sampleValue(text, 'http_server_active_requests', { http_request_method: 'GET' }), 0);
  });

  void it('names an unknown method _OTHER and keeps the original', async (t) => {
    const url = new URL(await serve((_request, response) => response.end(), t));
    await new Promise<void>((resolve, reject) => {
      const request = sendRequest({ host: url.hostname, port: url.port, path: '/dav', method: 'PROPFIND' }, (response) => {
        response.resume();
        response.on('end', resolve);
      });
      request.on('error', reject);
      request.end();
    });
    const span = await serverSpan('/dav');
    assert.equal(span.name, 'HTTP');
    assert.equal(span.attributes['http.request.method'], '_OTHER');
    assert.equal(span.attributes['http.request.method_original'], 'PROPFIND');
  });

  void it('leaves out ignored requests: no span, no metric', async (t) => {
    const url = await serve((_request, response) => response.end('metrics'), t);
    const recorded = async (): Promise<number> =>
      sampleValue(await registry.render('prometheus'), DURATION, { http_response_status_code: '200', http_request_method: 'GET' }) ?? 0;
    const before = await recorded();
    await (await fetch(`${url}/metrics`)).text();
    await (await fetch(`${url}/after`)).text();
    await serverSpan('/after');
    assert.equal(tracing.serverSpans().length, 1);
    assert.equal(await recorded(), before + 1);
  });

  void it('keeps once and removeListener working for the listeners it binds to the request context', async (t) => {
    const seen: string[] = [];
    const url = await serve((request, response) => {
      const activeSpan = (): string => trace.getActiveSpan()?.spanContext().spanId ?? 'none';
      const ownSpan = activeSpan();
      const removed = (): void => void seen.push('removed listener ran');
      request.on('data', removed);
      request.removeListener('data', removed);
      request.once('data', () => seen.push(activeSpan() === ownSpan ? 'once in context' : 'once outside'));
      request.on('end', () => {
        seen.push(`data listeners left: ${request.listenerCount('data')}`);
        response.end();
      });
    }, t);
    await (await fetch(`${url}/upload`, { method: 'POST', body: 'x'.repeat(100_000) })).arrayBuffer();
    assert.deepEqual(seen, ['once in context', 'data listeners left: 0']);
  });

  void it('puts node:http back as it was when disabled', () => {
    const own = (prototype: object, name: string): boolean => Object.hasOwn(prototype, name);
    assert.ok(own(Server.prototype, 'emit') && own(IncomingMessage.prototype, 'on'));
    instrumentation.disable();
    try {
      assert.equal(own(Server.prototype, 'emit'), false);
      assert.equal(own(IncomingMessage.prototype, 'on'), false);
    } finally {
      instrumentation.enable();
    }
  });
});

void describe('the node:http server instrumentation as startTelemetry configures it', () => {
  let tracing: HttpTracing;
  let registry: MetricsRegistry;
  before(() => {
    tracing = startHttpTracing('sightline');
    registry = createMetricsRegistry({ defaultMetrics: false });
  });
  after(() => tracing.close());

  async function serveWith(instrumentation: HttpServerInstrumentation, t: { after(fn: () => Promise<void> | void): void }): Promise<string> {
    instrumentation.enable();
    t.after(() => instrumentation.disable());
    const server = createServer((_request, response) => response.end('ok'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(() => closeServer(server));
    tracing.exporter.reset();
    return baseUrlOf(server);
  }

  void it('gives a rule sampler the path when the span starts, so a rule can drop a route', async (t) => {
    const sampler = { type: 'rules', defaultRatio: 1, rules: [{ route: '/health', ratio: 'never' }] } as const;
    const instrumentation = new HttpServerInstrumentation({ registry, ignoreIncomingRequest: () => false, samplerReadsAttributes: samplerReadsAttributes(sampler) });
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ sampler: createSampler(sampler), spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    t.after(() => provider.shutdown());
    instrumentation.setTracerProvider(provider);
    const url = await serveWith(instrumentation, t);
    for (const path of ['/health', '/orders']) await (await fetch(`${url}${path}`)).text();
    await waitFor('the span of /orders', () => exporter.getFinishedSpans().find((span) => span.attributes['url.path'] === '/orders'));
    assert.deepEqual(
      exporter.getFinishedSpans().map((span) => span.attributes['url.path']),
      ['/orders'],
    );
  });

  void it('with a sampler that reads no attributes, still sets them all on a recorded span and extracts only requests that carry context', async (t) => {
    const instrumentation = new HttpServerInstrumentation({
      registry,
      ignoreIncomingRequest: () => false,
      samplerReadsAttributes: samplerReadsAttributes({ type: 'parentbased_always_on' }),
      contextHeaders: contextHeaders(['tracecontext', 'baggage']),
    });
    instrumentation.setTracerProvider(trace.getTracerProvider());
    const url = await serveWith(instrumentation, t);
    await (await fetch(`${url}/continued?page=2`, { headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` } })).text();
    await (await fetch(`${url}/root`)).text();

    const continued = await waitFor('the continued span', () => tracing.serverSpans().find((span) => span.attributes['url.path'] === '/continued'));
    assert.equal(continued.spanContext().traceId, TRACE_ID);
    assert.equal(continued.parentSpanContext?.spanId, '00f067aa0ba902b7');
    assert.deepEqual(
      [continued.attributes['http.request.method'], continued.attributes['url.scheme'], continued.attributes['url.query'], continued.attributes['http.response.status_code']],
      ['GET', 'http', 'page=2', 200],
    );
    const root = await waitFor('the root span', () => tracing.serverSpans().find((span) => span.attributes['url.path'] === '/root'));
    assert.equal(root.parentSpanContext, undefined);
    assert.notEqual(root.spanContext().traceId, TRACE_ID);
  });
});
