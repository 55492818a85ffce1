/**
 * The guarantee that no message can stall a consumer group, on a NATS
 * server of the test's own with a small `max_payload`: 1,000 deeply nested
 * poison messages and one event near `max_payload`, published between 50
 * valid events.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createEventBus } from 'sightline/events';
import { DEAD_LETTER_HEADERS, natsTransport } from 'sightline-nats';
import { until } from '../support/nats.ts';
import { startOwnNatsServer } from '../support/own-nats-server.ts';

const MAX_PAYLOAD = 64 * 1024;

test('1,000 poison messages and one near max_payload among 50 valid events: the valid ones are processed within 10 s, every other one is dead-lettered with its reason, nothing stays pending', async (t) => {
  const server = await startOwnNatsServer(t, { maxPayload: MAX_PAYLOAD });
  const nc = await connect({ servers: server.url });
  t.after(() => nc.close());
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const transport = natsTransport({ servers: server.url, stream: 'FLOOD', subjectPrefix: 'flood' });
  const bus = createEventBus<{ 'order.created': { n: number } }>({ source: 'shop', transport });
  t.after(() => bus.close());

  const handled: unknown[] = [];
  await bus.subscribe('order.created', (event) => {
    handled.push(event.data);
  }, { group: 'billing', concurrency: 8, maxDeliver: 2 }).ready();

  const subject = transport.subjectFor('order.created');
  const poison = new TextEncoder().encode(`{"specversion":${'['.repeat(6000)}${']'.repeat(6000)}}`);
  const near = new TextEncoder().encode(
    JSON.stringify({ specversion: '1.0', id: 'near', source: 'x', type: 'order.created', data: { n: -1, pad: 'x'.repeat(MAX_PAYLOAD - 400) } }),
  );
  const started = performance.now();
  for (let n = 0; n < 50; n += 1) {
    await bus.publish('order.created', { n });
    await Promise.all(Array.from({ length: 20 }, () => js.publish(subject, poison)));
    if (n === 25) await js.publish(subject, near);
  }
  const published = performance.now();
  await until(() => handled.length >= 50, '50 valid events', 10_000);
  const processedAfterMs = performance.now() - published;
  assert.ok(processedAfterMs < 10_000);
  assert.deepEqual(new Set(handled.map((data) => (data as { n: number }).n)), new Set(Array.from({ length: 50 }, (_, n) => n)), 'the handler saw only valid events');

  await until(async () => (await jsm.streams.info('FLOOD_DLQ')).state.messages === 1001, '1,001 dead letters', 20_000);
  await until(async () => (await jsm.consumers.info('FLOOD', 'billing__order_created')).num_ack_pending === 0, 'num_ack_pending 0', 20_000);
  const reasons = new Map<string, number>();
  const letters = await (await js.consumers.get('FLOOD_DLQ')).fetch({ max_messages: 1001, expires: 10_000 });
  let cut: { size: string; bytes: number } | undefined;
  let read = 0;
  for await (const letter of letters) {
    const reason = letter.headers?.get(DEAD_LETTER_HEADERS.reason) ?? '';
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    if (reason === 'too_large') cut = { size: letter.headers?.get(DEAD_LETTER_HEADERS.originalSize) ?? '', bytes: letter.data.length };
    read += 1;
    if (read === 1001) break;
  }
  assert.deepEqual(Object.fromEntries(reasons), { too_deep: 1000, too_large: 1 });
  assert.equal(cut?.size, String(near.length), 'the cut dead letter says how large the event was');
  assert.ok(cut.bytes > 0 && cut.bytes < near.length);
  t.diagnostic(`published 1,051 messages in ${Math.round(published - started)} ms; 50 valid processed ${Math.round(processedAfterMs)} ms after the last publish`);
});
