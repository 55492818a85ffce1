/**
 * OTEL_PROPAGATORS over a real HTTP hop: an app started with
 * `--import sightline/register` receives a request in one format, and the
 * request it then sends carries the same trace (and the allowed baggage) in
 * that format alone; unknown baggage keys stay behind.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startChildApp } from './support/child-app.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const TRACE_HEADERS = ['traceparent', 'tracestate', 'baggage', 'b3', 'x-b3-traceid', 'x-b3-spanid', 'x-b3-sampled', 'uber-trace-id'];

/** Starts the relay app with `propagators`, sends `headers` to /relay and returns the trace headers of its outgoing request. */
async function relay(propagators: string, headers: Record<string, string>): Promise<Record<string, string>> {
  await using app = startChildApp('relay-app.ts', {
    env: { OTEL_PROPAGATORS: propagators, OTEL_TRACES_EXPORTER: 'none' },
    execArgv: ['--import', 'sightline/register'],
  });
  const { port } = await app.nextMessage<{ port: number }>();
  const response = await fetch(`http://127.0.0.1:${port}/relay`, { headers });
  assert.equal(response.status, 200);
  const sent = (await response.json()) as Record<string, string>;
  return Object.fromEntries(Object.entries(sent).filter(([name]) => TRACE_HEADERS.includes(name) || name.startsWith('uberctx-')));
}

void describe('OTEL_PROPAGATORS through a real HTTP hop', { concurrency: 3 }, () => {
  void it('tracecontext: continues traceparent and passes tracestate on', async () => {
    const sent = await relay('tracecontext', { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'rojo=00f067aa0ba902b7' });
    assert.deepEqual(Object.keys(sent).sort(), ['traceparent', 'tracestate']);
    assert.match(sent['traceparent'] ?? '', new RegExp(`^00-${TRACE_ID}-(?!${SPAN_ID})[0-9a-f]{16}-01$`));
    assert.equal(sent['tracestate'], 'rojo=00f067aa0ba902b7');
  });

  void it('baggage: forwards allowed entries only, and no trace context of its own', async () => {
    const sent = await relay('baggage', { baggage: 'tenant.id=acme,user.id=u-1,session=secret', traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
    assert.deepEqual(Object.keys(sent), ['baggage']);
    assert.deepEqual(new Set(sent['baggage']?.split(',')), new Set(['tenant.id=acme', 'user.id=u-1']));
  });

  void it('b3: continues a single b3 header in the same format', async () => {
    const sent = await relay('b3', { b3: `${TRACE_ID}-${SPAN_ID}-1` });
    assert.deepEqual(Object.keys(sent), ['b3']);
    assert.match(sent['b3'] ?? '', new RegExp(`^${TRACE_ID}-(?!${SPAN_ID})[0-9a-f]{16}-1$`));
  });

  void it('b3multi: continues X-B3-* headers, not sampled stays not sampled', async () => {
    const sent = await relay('b3multi', { 'X-B3-TraceId': TRACE_ID, 'X-B3-SpanId': SPAN_ID, 'X-B3-Sampled': '0' });
    assert.deepEqual(Object.keys(sent).sort(), ['x-b3-sampled', 'x-b3-spanid', 'x-b3-traceid']);
    assert.equal(sent['x-b3-traceid'], TRACE_ID);
    assert.notEqual(sent['x-b3-spanid'], SPAN_ID);
    assert.equal(sent['x-b3-sampled'], '0');
  });

  void it('jaeger: continues uber-trace-id (a 64-bit id padded) and forwards allowed uberctx- baggage only', async () => {
    const sent = await relay('jaeger', {
      'uber-trace-id': `a3ce929d0e0e4736:${SPAN_ID}:0:1`,
      'uberctx-tenant.id': 'acme',
      'uberctx-session': 'secret',
    });
    assert.deepEqual(Object.keys(sent).sort(), ['uber-trace-id', 'uberctx-tenant.id']);
    assert.match(sent['uber-trace-id'] ?? '', new RegExp(`^0000000000000000a3ce929d0e0e4736:(?!${SPAN_ID})[0-9a-f]{16}:0:01$`));
    assert.equal(sent['uberctx-tenant.id'], 'acme');
  });

  void it('several formats: reads any of them and writes each', async () => {
    const sent = await relay('tracecontext,baggage,b3multi', { b3: `${TRACE_ID}-${SPAN_ID}-1`, 'X-B3-TraceId': TRACE_ID, 'X-B3-SpanId': SPAN_ID, baggage: 'tenant.id=acme' });
    assert.deepEqual(Object.keys(sent).sort(), ['baggage', 'traceparent', 'x-b3-sampled', 'x-b3-spanid', 'x-b3-traceid']);
    assert.equal(sent['traceparent']?.split('-')[1], TRACE_ID);
    assert.equal(sent['x-b3-traceid'], TRACE_ID);
    assert.equal(sent['traceparent']?.split('-')[2], sent['x-b3-spanid'], 'the same client span in both formats');
  });

  void it('none: neither reads nor writes any header', async () => {
    const sent = await relay('none', { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, baggage: 'tenant.id=acme' });
    assert.deepEqual(sent, {});
  });
});
