import assert from 'node:assert/strict';
import { createServer, connect as tcpConnect } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { tryGetTenantContext, withTenant } from 'sightline';
import { createEnvelope, createEventBus, encodeEnvelope } from 'sightline/events';
import type { EventEnvelope } from 'sightline/events';
import { DiscardPolicy } from '@nats-io/jetstream';
import { DEAD_LETTER_HEADERS, natsTransport, NatsPublishError, NatsPublishTimeoutError, NatsUnavailableError } from 'sightline-nats';
import { createMetricsRegistry } from '../../sightline/src/metrics/registry.ts';
import { startTracingHarness } from '../../sightline/test/support/tracing-harness.ts';
import type { TracingHarness } from '../../sightline/test/support/tracing-harness.ts';
import { NATS_URL, natsFixture, until } from './support/nats.ts';
import { sampleValue } from '../../sightline/test/support/prometheus-text.ts';

interface Events extends Record<string, unknown> {
  'order.created': { orderId: string; fail?: boolean };
}

let harness: TracingHarness;
before(() => {
  harness = startTracingHarness();
});
after(() => harness.close());

const decode = (data: Uint8Array): EventEnvelope => JSON.parse(new TextDecoder().decode(data)) as EventEnvelope;

test('publish and consume through JetStream: tenant context, Nats-Msg-Id, trace headers, publish de-duplication, backlog', async (t) => {
  const nats = await natsFixture(t);
  const registry = createMetricsRegistry();
  const transport = natsTransport({ servers: NATS_URL, stream: nats.stream, subjectPrefix: nats.subjectPrefix });
  const bus = createEventBus<Events>({ source: 'orders', transport, registry });
  t.after(() => bus.close());

  const handled: { id: string; tenant: unknown }[] = [];
  let gate: Promise<void> = Promise.resolve();
  const subscription = bus.subscribe('order.created', async (event) => {
    await gate;
    handled.push({ id: event.data.orderId, tenant: tryGetTenantContext() });
  }, { group: 'billing' });
  await subscription.ready();

  const envelope = await withTenant({ tenantId: 'acme', userId: 'u-1' }, () => bus.publish('order.created', { orderId: 'o-1' }));
  await until(() => handled.length === 1, 'the first event');
  assert.deepEqual(handled[0], { id: 'o-1', tenant: { tenantId: 'acme', userId: 'u-1' } });

  const publishSpan = harness.spans().find((span) => span.name === 'publish order.created' && span.attributes['messaging.message.id'] === envelope.id);
  assert.ok(publishSpan);
  assert.equal(publishSpan.attributes['messaging.system'], 'nats');
  assert.equal(envelope.traceparent, `00-${publishSpan.spanContext().traceId}-${publishSpan.spanContext().spanId}-01`);

  // Same id again: JetStream drops the duplicate, the next event still arrives.
  await bus.publish('order.created', { orderId: 'o-1-again' }, { id: envelope.id });
  await bus.publish('order.created', { orderId: 'o-2' });
  await until(() => handled.length >= 2, 'the second event');
  await until(async () => (await nats.jsm.consumers.info(nats.stream, 'billing__order_created')).num_ack_pending === 0, 'acks');
  assert.deepEqual(handled.map((entry) => entry.id), ['o-1', 'o-2']);

  // Backlog = the consumer's pending + ack pending, read at scrape time.
  let release!: () => void;
  gate = new Promise((resolve) => {
    release = resolve;
  });
  for (let index = 0; index < 5; index += 1) await bus.publish('order.created', { orderId: `b-${index}` });
  await until(async () => sampleValue(await registry.render('prometheus'), 'sightline_event_backlog', { messaging_consumer_group_name: 'billing' }) === 5, 'backlog 5');
  release();
  await until(() => handled.length === 7, 'the backlog to drain');
  await until(async () => sampleValue(await registry.render('prometheus'), 'sightline_event_backlog', { messaging_consumer_group_name: 'billing' }) === 0, 'backlog 0');
});

test('trace headers are read case-insensitively when the envelope has no traceparent', async (t) => {
  const nats = await natsFixture(t);
  const transport = natsTransport({ servers: NATS_URL, stream: nats.stream, subjectPrefix: nats.subjectPrefix });
  const bus = createEventBus<Events>({ source: 'orders', transport });
  t.after(() => bus.close());
  const seen: string[] = [];
  await bus.subscribe('order.created', (event) => {
    seen.push(event.id);
  }, { group: 'audit' }).ready();
  const envelope = createEnvelope({ type: 'order.created', source: 'legacy', data: { orderId: 'x' } });
  const headers = natsHeaders();
  headers.set('TraceParent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
  await nats.js.publish(transport.subjectFor('order.created'), encodeEnvelope(envelope), { headers });
  await until(() => seen.length === 1 && harness.spans().some((span) => span.name === 'process order.created' && span.attributes['messaging.message.id'] === envelope.id), 'the process span');
  const process = harness.spans().find((span) => span.attributes['messaging.message.id'] === envelope.id)!;
  assert.equal(process.spanContext().traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.equal(process.parentSpanContext?.spanId, '00f067aa0ba902b7');
});

test('an always-failing handler ends on the dead-letter subject after maxDeliver with the reason; counters say so; others flow', async (t) => {
  const nats = await natsFixture(t);
  const registry = createMetricsRegistry();
  const transport = natsTransport({ servers: NATS_URL, stream: nats.stream, subjectPrefix: nats.subjectPrefix });
  const bus = createEventBus<Events>({ source: 'orders', transport, registry });
  t.after(() => bus.close());
  const ok: string[] = [];
  let failedRuns = 0;
  await bus.subscribe('order.created', (event) => {
    if (event.data.fail === true) {
      failedRuns += 1;
      throw new RangeError(`cannot bill ${event.data.orderId}`);
    }
    ok.push(event.data.orderId);
  }, { group: 'billing', concurrency: 2, maxDeliver: 3, retry: { initialDelayMs: 20, jitter: false } }).ready();

  const bad = await bus.publish('order.created', { orderId: 'bad', fail: true });
  for (let index = 0; index < 5; index += 1) await bus.publish('order.created', { orderId: `o-${index}` });
  const dlqSubject = transport.deadLetterSubjectFor('billing');
  await until(async () => (await nats.deadLetters(dlqSubject)).length === 1 && ok.length === 5, 'the dead letter');
  assert.equal(failedRuns, 3);
  const [letter] = await nats.deadLetters(dlqSubject);
  assert.equal(decode(letter!.data).id, bad.id);
  assert.equal(letter!.header.get(DEAD_LETTER_HEADERS.reason), 'handler_failed');
  assert.equal(letter!.header.get(DEAD_LETTER_HEADERS.errorType), 'RangeError');
  assert.equal(letter!.header.get(DEAD_LETTER_HEADERS.deliveries), '3');
  assert.match(letter!.header.get(DEAD_LETTER_HEADERS.detail), /run 3 of 3: cannot bill bad/);
  assert.equal(letter!.header.get('traceparent'), bad.traceparent);

  const text = await registry.render('prometheus');
  const labels = { messaging_system: 'nats', messaging_destination_name: 'order.created', messaging_consumer_group_name: 'billing' };
  assert.equal(sampleValue(text, 'messaging_client_consumed_messages_total', { ...labels, outcome: 'retry', error_type: 'RangeError' }), 2);
  assert.equal(sampleValue(text, 'messaging_client_consumed_messages_total', { ...labels, outcome: 'dead_letter', error_type: 'RangeError' }), 1);
  assert.equal(sampleValue(text, 'messaging_client_consumed_messages_total', { ...labels, outcome: 'success' }), 5);
});

test('malformed bytes are dead-lettered with a reason and the consumer keeps running', async (t) => {
  const nats = await natsFixture(t);
  const registry = createMetricsRegistry();
  const transport = natsTransport({ servers: NATS_URL, stream: nats.stream, subjectPrefix: nats.subjectPrefix });
  const bus = createEventBus<Events>({ source: 'orders', transport, registry });
  t.after(() => bus.close());
  const ok: string[] = [];
  await bus.subscribe('order.created', (event) => {
    ok.push(event.data.orderId);
  }, { group: 'billing' }).ready();

  const subject = transport.subjectFor('order.created');
  const good = JSON.parse(new TextDecoder().decode(encodeEnvelope(createEnvelope({ type: 'order.created', source: 'x', data: { orderId: 'y' } })))) as Record<string, unknown>;
  const encoder = new TextEncoder();
  await nats.js.publish(subject, encoder.encode('{"specversion": "1.0", "id": '));
  await nats.js.publish(subject, encoder.encode(JSON.stringify({ ...good, id: undefined, source: undefined })));
  await nats.js.publish(subject, encoder.encode(JSON.stringify({ ...good, id: 'other', traceparent: 'not-a-traceparent' })));
  await bus.publish('order.created', { orderId: 'after' });

  const dlqSubject = transport.deadLetterSubjectFor('billing');
  await until(async () => (await nats.deadLetters(dlqSubject)).length === 3 && ok.length === 1, 'three dead letters and the good event');
  assert.deepEqual(ok, ['after']);
  const reasons = (await nats.deadLetters(dlqSubject)).map((letter) => letter.header.get(DEAD_LETTER_HEADERS.reason));
  assert.deepEqual(reasons, ['malformed_json', 'invalid_envelope', 'invalid_traceparent']);
  const first = (await nats.deadLetters(dlqSubject))[0]!;
  assert.equal(new TextDecoder().decode(first.data), '{"specversion": "1.0", "id": ', 'the bytes are kept as received');
  assert.equal(first.header.get(DEAD_LETTER_HEADERS.deliveries), '1');

  const text = await registry.render('prometheus');
  for (const reason of ['malformed_json', 'invalid_envelope', 'invalid_traceparent']) {
    assert.equal(sampleValue(text, 'sightline_events_rejected_total', { reason }), 1, reason);
  }
});

/** A TCP proxy to NATS that can be cut and restored on the same port. */
async function startProxy(port = 0): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = tcpConnect(4222, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

test('while NATS is unreachable a publish fails with NatsPublishTimeoutError; after reconnecting publishing works again', async (t) => {
  const nats = await natsFixture(t);
  let proxy = await startProxy();
  const port = proxy.port;
  t.after(() => proxy.stop());
  const transport = natsTransport({
    servers: `nats://127.0.0.1:${port}`,
    stream: nats.stream,
    subjectPrefix: nats.subjectPrefix,
    publishTimeoutMs: 500,
    // 'before' may be on its way to the consumer when the connection drops; unacked, it comes back after ackWaitMs.
    ackWaitMs: 2_000,
  });
  const bus = createEventBus<Events>({ source: 'orders', transport });
  t.after(() => bus.close());
  const seen: string[] = [];
  await bus.subscribe('order.created', (event) => {
    seen.push(event.data.orderId);
  }, { group: 'billing' }).ready();
  await bus.publish('order.created', { orderId: 'before' });

  await proxy.stop();
  const error = await bus.publish('order.created', { orderId: 'during' }).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  assert.ok(error instanceof NatsPublishTimeoutError, `got ${String(error)}`);
  assert.equal(error.code, 'SIGHTLINE_NATS_PUBLISH_TIMEOUT');
  assert.match(error.message, /publishTimeoutMs \(500 ms\)/);

  proxy = await startProxy(port);
  await until(async () => {
    try {
      await bus.publish('order.created', { orderId: 'after' });
      return true;
    } catch {
      return false;
    }
  }, 'a publish after reconnecting');
  await until(() => seen.includes('before') && seen.includes('after'), 'events around the outage');

  const nowhere = natsTransport({ servers: 'nats://127.0.0.1:1', connectTimeoutMs: 500 });
  const offline = createEventBus<Events>({ source: 'orders', transport: nowhere });
  t.after(() => offline.close());
  await assert.rejects(offline.publish('order.created', { orderId: 'x' }), NatsUnavailableError);
});

test('a publish JetStream refuses fails with NatsPublishError saying why: stream limit reached, then no stream at all', async (t) => {
  const nats = await natsFixture(t);
  const transport = natsTransport({ servers: NATS_URL, stream: nats.stream, subjectPrefix: nats.subjectPrefix, retention: 'limits' });
  const bus = createEventBus<Events>({ source: 'orders', transport });
  t.after(() => bus.close());
  await bus.publish('order.created', { orderId: 'o-1' });

  const info = await nats.jsm.streams.info(nats.stream);
  await nats.jsm.streams.update(nats.stream, { ...info.config, max_msgs: 1, discard: DiscardPolicy.New });
  const full = await bus.publish('order.created', { orderId: 'o-2' }).then(() => undefined, (error: unknown) => error);
  assert.ok(full instanceof NatsPublishError, `got ${String(full)}`);
  assert.equal(full.code, 'SIGHTLINE_NATS_PUBLISH_FAILED');
  assert.match(full.message, /maximum messages exceeded/);

  await nats.jsm.streams.delete(nats.stream);
  const missing = await bus.publish('order.created', { orderId: 'o-3' }).then(() => undefined, (error: unknown) => error);
  assert.ok(missing instanceof NatsPublishError, `got ${String(missing)}`);
  assert.match(missing.message, /no stream takes the subject/);
  assert.equal(missing.subject, transport.subjectFor('order.created'));
});

test('a publish still waiting for JetStream when the transport closes fails at once, not after publishTimeoutMs', async (t) => {
  const nats = await natsFixture(t);
  const proxy = await startProxy();
  t.after(() => proxy.stop());
  const transport = natsTransport({ servers: `nats://127.0.0.1:${proxy.port}`, stream: nats.stream, subjectPrefix: nats.subjectPrefix, publishTimeoutMs: 30_000 });
  t.after(() => transport.close());
  const message = (id: string) => ({ type: 'order.created', id, body: new TextEncoder().encode('{}'), headers: {} });
  await transport.publish(message('first'));

  await proxy.stop();
  const started = performance.now();
  const waiting = transport.publish(message('second')).then(() => undefined, (error: unknown) => error);
  await transport.close();
  const error = await waiting;
  assert.ok(error instanceof NatsPublishError, `got ${String(error)}`);
  assert.match(error.message, /connection closed before JetStream acknowledged/);
  assert.ok(performance.now() - started < 10_000, 'failed well before publishTimeoutMs');
});
