/**
 * End to end: an app started with `--import sightline/register` (a CommonJS
 * app also with `-r sightline/register`) and only
 * OTEL_* variables exports its automatic (node:http, fetch) and manual spans
 * to a real OTLP receiver over gRPC, HTTP/protobuf and HTTP/JSON; the bytes
 * are decoded with the official .proto files.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startChildApp } from './support/child-app.ts';
import { startGrpcReceiver, startHttpReceiver } from './support/otlp-receiver.ts';
import type { OtlpReceiver, ReceivedSpan } from './support/otlp-receiver.ts';

const REGISTER = ['--import', 'sightline/register'];
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';

function otelEnv(receiver: OtlpReceiver, protocol: string, serviceName: string): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: serviceName,
    OTEL_RESOURCE_ATTRIBUTES: 'service.version=1.2.3,deployment.environment.name=test,team=payments',
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant-routing=test-suite',
    OTEL_BSP_SCHEDULE_DELAY: '50',
  };
}

function one(spans: readonly ReceivedSpan[], what: string, match: (span: ReceivedSpan) => boolean): ReceivedSpan {
  const found = spans.filter(match);
  assert.equal(found.length, 1, `expected exactly one ${what}, found ${found.length}: ${JSON.stringify(spans.map((s) => [s.name, s.kind, s.attributes['url.path']]))}`);
  return found[0]!;
}

const startReceiver = {
  grpc: () => startGrpcReceiver(),
  'http/protobuf': () => startHttpReceiver(),
  'http/json': () => startHttpReceiver(),
} as const;

void describe('export through OTLP from an app started with --import sightline/register', () => {
  for (const protocol of ['grpc', 'http/protobuf', 'http/json'] as const) {
    void it(`${protocol}: server, client and manual spans with resource, structure, kinds, status and tenant`, async () => {
      await using receiver = await startReceiver[protocol]();
      const serviceName = `checkout-${protocol.replace('/', '-')}`;
      await using app = startChildApp('http-app.ts', { env: otelEnv(receiver, protocol, serviceName), execArgv: REGISTER });
      const { port } = await app.nextMessage<{ port: number }>();

      const response = await fetch(`http://127.0.0.1:${port}/checkout`, {
        headers: {
          traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01`,
          baggage: 'tenant.id=acme,user.id=u-1,internal.secret=s3cr3t',
        },
      });
      assert.equal(response.status, 402);
      const { forwarded } = (await response.json()) as { forwarded: { baggage: string | null }[] };
      assert.equal(forwarded.length, 2);
      for (const { baggage } of forwarded) {
        const entries = (baggage ?? '').split(',').map((entry) => entry.trim()).sort();
        assert.deepEqual(entries, ['tenant.id=acme', 'user.id=u-1'], 'only allow-listed baggage is forwarded');
      }
      assert.equal((await fetch(`http://127.0.0.1:${port}/boom`, { headers: { baggage: 'tenant.id=acme' } })).status, 500);

      // checkout server, validate, fetch client, downstream server, charge, http client, downstream server, boom server
      const spans = await receiver.waitForSpans(8);
      app.process.kill('SIGTERM');
      assert.deepEqual(await app.exited(), { code: null, signal: 'SIGTERM' });
      assert.equal(spans.length, 8);

      for (const span of spans) {
        assert.equal(span.resource['service.name'], serviceName);
        assert.equal(span.resource['service.version'], '1.2.3');
        assert.equal(span.resource['deployment.environment.name'], 'test');
        assert.equal(span.resource['team'], 'payments');
        assert.match(String(span.resource['service.instance.id']), /^[0-9a-f-]{36}$/);
        assert.equal(span.resource['telemetry.sdk.language'], 'nodejs');
        assert.equal(span.resource['telemetry.sdk.name'], 'opentelemetry');
        assert.equal(typeof span.resource['host.name'], 'string');
        assert.equal(span.resource['process.pid'], app.process.pid);
        assert.equal(span.attributes['tenant.id'], 'acme', `tenant.id on ${span.name} (${span.kind})`);
        assert.equal(span.attributes['internal.secret'], undefined);
      }

      const checkout = one(spans, 'checkout server span', (s) => s.kind === 'server' && s.attributes['url.path'] === '/checkout');
      assert.equal(checkout.traceId, TRACE_ID, 'the incoming traceparent is continued');
      assert.equal(checkout.parentSpanId, PARENT_SPAN_ID);
      assert.equal(checkout.attributes['http.response.status_code'], 402);
      assert.equal(checkout.status, 'unset', 'a 4xx is not a server error');
      assert.equal(checkout.scope, '@opentelemetry/instrumentation-http');

      const trace = spans.filter((s) => s.traceId === TRACE_ID);
      assert.equal(trace.length, 7);
      for (const span of trace) assert.equal(span.attributes['user.id'], 'u-1', `user.id on ${span.name} (${span.kind})`);

      const validate = one(trace, 'checkout.validate', (s) => s.name === 'checkout.validate');
      const charge = one(trace, 'checkout.charge', (s) => s.name === 'checkout.charge');
      for (const span of [validate, charge]) {
        assert.equal(span.kind, 'internal');
        assert.equal(span.parentSpanId, checkout.spanId);
      }
      assert.equal(validate.status, 'unset');
      assert.equal(charge.status, 'error');

      const fetchClient = one(trace, 'fetch client span', (s) => s.kind === 'client' && s.parentSpanId === validate.spanId);
      assert.equal(fetchClient.scope, '@opentelemetry/instrumentation-undici');
      const httpClient = one(trace, 'node:http client span', (s) => s.kind === 'client' && s.parentSpanId === charge.spanId);
      assert.equal(httpClient.scope, '@opentelemetry/instrumentation-http');
      for (const client of [fetchClient, httpClient]) {
        assert.equal(client.attributes['http.request.method'], 'GET');
        assert.equal(client.attributes['http.response.status_code'], 200);
        const downstream = one(trace, 'downstream server span', (s) => s.kind === 'server' && s.parentSpanId === client.spanId);
        assert.equal(downstream.attributes['url.path'], '/downstream');
      }

      const boom = one(spans, 'boom server span', (s) => s.attributes['url.path'] === '/boom');
      assert.notEqual(boom.traceId, TRACE_ID);
      assert.equal(boom.parentSpanId, '');
      assert.equal(boom.status, 'error', 'a 5xx is a server error');
      assert.equal(boom.attributes['user.id'], undefined);

      assert.ok(receiver.requests.length > 0);
      for (const request of receiver.requests) assert.equal(request.headers['x-tenant-routing'], 'test-suite');
      const expectedType = { grpc: 'application/grpc', 'http/protobuf': 'application/x-protobuf', 'http/json': 'application/json' };
      assert.ok(receiver.requests.every((r) => r.contentType.startsWith(expectedType[protocol])));
      assert.doesNotMatch(app.stderr(), /unhandled|Error/i);
    });
  }

  for (const flag of ['--import', '-r'] as const) {
    void it(`a CommonJS app started with ${flag} sightline/register is instrumented the same way (gzip-compressed HTTP/protobuf)`, async () => {
      await using receiver = await startHttpReceiver();
      const env = { ...otelEnv(receiver, 'http/protobuf', 'cjs-app'), OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'gzip' };
      await using app = startChildApp('http-app.cjs', { env, execArgv: [flag, 'sightline/register'] });
      const { port } = await app.nextMessage<{ port: number }>();
      const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { baggage: 'tenant.id=globex' } });
      assert.equal(response.status, 200);
      const [span] = await receiver.waitForSpans(1);
      assert.equal(span?.kind, 'server');
      assert.equal(span.attributes['tenant.id'], 'globex');
      assert.equal(span.resource['service.name'], 'cjs-app');
      assert.ok(receiver.requests.every((r) => r.headers['content-encoding'] === 'gzip'));
      app.process.kill('SIGINT');
      assert.deepEqual(await app.exited(), { code: null, signal: 'SIGINT' });
      assert.equal(app.stderr(), '');
    });
  }
});
