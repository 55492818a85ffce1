/**
 * Prefetch: a subscription holds messages ahead of its handlers, keeps them
 * alive past the ack wait while they wait for a worker, and gives them back
 * to its group when it closes. Acks, held briefly to share a write with the
 * next publish, still reach the server without one and before a close.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidEventOptionError } from 'sightline';
import { createEventBus } from 'sightline/events';
import { natsTransport } from 'sightline-nats';
import { NATS_URL, natsFixture, until } from './support/nats.ts';

interface Events extends Record<string, unknown> {
  'order.created': { n: number };
}

const CONSUMER = 'billing__order_created';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('a slow handler with prefetched messages waiting longer than ackWaitMs: each event runs once, none is redelivered', async (t) => {
  const nats = await natsFixture(t);
  const ackWaitMs = 1000;
  const bus = createEventBus<Events>({
    source: 'orders',
    transport: natsTransport({ servers: NATS_URL, stream: nats.stream, subjectPrefix: nats.subjectPrefix, ackWaitMs }),
  });
  t.after(() => bus.close());
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const runs: { n: number; attempt: number }[] = [];
  await bus.subscribe('order.created', async (event, { attempt }) => {
    runs.push({ n: event.data.n, attempt });
    await gate;
    await sleep(100);
  }, { group: 'billing' }).ready();

  const events = 25;
  for (let n = 0; n < events; n += 1) await bus.publish('order.created', { n });
  // The whole burst is held by the one process: one running, the rest prefetched.
  await until(async () => (await nats.jsm.consumers.info(nats.stream, CONSUMER)).num_ack_pending === events, 'every event prefetched');
  release();
  // The last ones wait about 2.5 s more for the worker: past the ack wait twice over.
  await until(() => runs.length === events, 'every event handled');
  await until(async () => (await nats.jsm.consumers.info(nats.stream, CONSUMER)).num_ack_pending === 0, 'every ack');
  await sleep(ackWaitMs);

  assert.deepEqual(runs, Array.from({ length: events }, (_, n) => ({ n, attempt: 1 })), 'in order, once each, first attempt');
  assert.equal((await nats.jsm.consumers.info(nats.stream, CONSUMER)).num_redelivered, 0);
});

test('closing a subscription with a full prefetch buffer gives those messages back to the group at once, not after the ack wait', async (t) => {
  const nats = await natsFixture(t);
  const options = { servers: NATS_URL, stream: nats.stream, subjectPrefix: nats.subjectPrefix, ackWaitMs: 60_000, prefetch: 8 };
  const first = createEventBus<Events>({ source: 'orders', transport: natsTransport(options) });
  t.after(() => first.close());
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const firstRuns: number[] = [];
  await first.subscribe('order.created', async (event) => {
    firstRuns.push(event.data.n);
    await gate;
  }, { group: 'billing' }).ready();

  const events = 20;
  for (let n = 0; n < events; n += 1) await first.publish('order.created', { n });
  // One running, the prefetched ones waiting behind it; the rest stay on the server.
  await until(async () => {
    const info = await nats.jsm.consumers.info(nats.stream, CONSUMER);
    return info.num_ack_pending >= 5 && info.num_ack_pending <= 9 && info.num_pending > 0;
  }, 'a full prefetch buffer');
  assert.deepEqual(firstRuns, [0]);

  let closed = false;
  const closing = first.close().then(() => {
    closed = true;
  });
  const second = createEventBus<Events>({ source: 'orders', transport: natsTransport(options) });
  t.after(() => second.close());
  const secondRuns = new Map<number, number>();
  await second.subscribe('order.created', (event, { attempt }) => {
    secondRuns.set(event.data.n, attempt);
  }, { group: 'billing' }).ready();

  // Well inside the 60 s ack wait, while the first member's handler still runs.
  await until(() => secondRuns.size === events - 1, 'every other event at the second member', 10_000);
  assert.equal(closed, false, 'close waits for the running handler');
  assert.deepEqual([...secondRuns.keys()].sort((a, b) => a - b), Array.from({ length: events - 1 }, (_, i) => i + 1));
  assert.ok([...secondRuns.values()].some((attempt) => attempt === 2), 'a released message counts as delivered once');
  release();
  await closing;
  await until(async () => (await nats.jsm.consumers.info(nats.stream, CONSUMER)).num_ack_pending === 0, 'every ack');
  assert.deepEqual(firstRuns, [0], 'the first member ran only the event it had started');
});

test('prefetch must be a positive integer', () => {
  for (const prefetch of [0, -1, 1.5, Number.NaN]) {
    assert.throws(() => natsTransport({ servers: NATS_URL, prefetch }), (error: unknown) => {
      assert.ok(error instanceof InvalidEventOptionError);
      assert.match(error.message, /`prefetch` to be a positive integer, got/);
      return true;
    });
  }
});

test('acks of a process that never publishes are sent, and close() sends the waiting ones before it disconnects', async (t) => {
  const nats = await natsFixture(t);
  const bus = createEventBus<Events>({
    source: 'orders',
    transport: natsTransport({ servers: NATS_URL, stream: nats.stream, subjectPrefix: nats.subjectPrefix }),
  });
  t.after(() => bus.close());
  const seen: number[] = [];
  await bus.subscribe('order.created', (event) => {
    seen.push(event.data.n);
  }, { group: 'billing' }).ready();
  const producer = createEventBus<Events>({
    source: 'orders',
    transport: natsTransport({ servers: NATS_URL, stream: nats.stream, subjectPrefix: nats.subjectPrefix }),
  });
  t.after(() => producer.close());

  for (let n = 0; n < 5; n += 1) await producer.publish('order.created', { n });
  await until(() => seen.length === 5, 'five events');
  // The 30 s ack wait would keep an unsent ack pending far longer than this wait.
  await until(async () => (await nats.jsm.consumers.info(nats.stream, CONSUMER)).num_ack_pending === 0, 'the acks', 2_000);

  await producer.publish('order.created', { n: 5 });
  await until(() => seen.length === 6, 'the sixth event');
  await bus.close();
  await until(async () => (await nats.jsm.consumers.info(nats.stream, CONSUMER)).num_ack_pending === 0, 'the ack sent on close', 2_000);
  assert.equal((await nats.jsm.consumers.info(nats.stream, CONSUMER)).num_redelivered, 0);
});
