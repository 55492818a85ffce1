import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { tryGetTenantContext, withTenant } from 'sightline';
import {
  createEventBus,
  DEAD_LETTER_SPAN_EVENT,
  DuplicateSubscriptionError,
  EventBusClosedError,
  EventQueueFullError,
  idempotent,
  memoryIdempotencyStore,
  memoryTransport,
  redisIdempotencyStore,
  RETRY_SPAN_EVENT,
} from 'sightline/events';
import type { EventEnvelope } from 'sightline/events';
import { createMetricsRegistry } from '../src/metrics/registry.ts';
import { until } from './support/poll.ts';
import { sampleValue } from './support/prometheus-text.ts';
import { startTracingHarness } from './support/tracing-harness.ts';
import type { TracingHarness } from './support/tracing-harness.ts';

interface Events extends Record<string, unknown> {
  'order.created': { orderId: string; total: number };
  'order.failed': { orderId: string };
}

let harness: TracingHarness;
before(() => {
  harness = startTracingHarness();
});
after(() => harness.close());



test('publish and process: tenant context in the handler, one trace publish -> process with a link, metrics', async (t) => {
  harness.exporter.reset();
  const registry = createMetricsRegistry();
  const bus = createEventBus<Events>({ source: 'orders', registry });
  t.after(() => bus.close());
  const seen: { event: EventEnvelope; tenant: unknown }[] = [];
  const subscription = bus.subscribe(
    'order.created',
    (event) => {
      seen.push({ event, tenant: tryGetTenantContext() });
    },
    { group: 'billing' },
  );
  await subscription.ready();

  const envelope = await withTenant({ tenantId: 'acme', userId: 'u-1' }, () =>
    bus.publish('order.created', { orderId: 'o-1', total: 10 }),
  );
  await until(() => seen.length === 1, 'the handler');
  assert.equal(seen[0]!.event.id, envelope.id);
  assert.deepEqual(seen[0]!.event.data, { orderId: 'o-1', total: 10 });
  assert.deepEqual(seen[0]!.tenant, { tenantId: 'acme', userId: 'u-1' });
  await until(() => harness.spans().some((span) => span.name === 'process order.created'), 'the process span');

  const publish = harness.span('publish order.created');
  const process = harness.span('process order.created');
  assert.equal(publish.kind, SpanKind.PRODUCER);
  assert.equal(process.kind, SpanKind.CONSUMER);
  assert.equal(process.spanContext().traceId, publish.spanContext().traceId);
  assert.equal(process.parentSpanContext?.spanId, publish.spanContext().spanId);
  assert.equal(process.links[0]?.context.spanId, publish.spanContext().spanId);
  assert.equal(publish.attributes['messaging.message.id'], envelope.id);
  assert.equal(publish.attributes['messaging.operation.type'], 'send');
  assert.equal(process.attributes['messaging.consumer.group.name'], 'billing');
  assert.equal(process.attributes['tenant.id'], 'acme');
  assert.equal(envelope.traceparent, `00-${publish.spanContext().traceId}-${publish.spanContext().spanId}-01`);

  await bus.close();
  const text = await registry.render('prometheus');
  assert.equal(sampleValue(text, 'messaging_client_sent_messages_total', { messaging_destination_name: 'order.created', error_type: '' }), 1);
  assert.equal(sampleValue(text, 'messaging_client_consumed_messages_total', { outcome: 'success', messaging_consumer_group_name: 'billing' }), 1);
  assert.equal(sampleValue(text, 'messaging_process_duration_seconds_count', { messaging_consumer_group_name: 'billing' }), 1);
  assert.equal(sampleValue(text, 'sightline_event_lag_seconds_count', { messaging_consumer_group_name: 'billing' }), 1);
});

test('traceLinkMode link starts a new trace that links to the producer', async (t) => {
  harness.exporter.reset();
  const bus = createEventBus<Events>({ source: 'orders', traceLinkMode: 'link' });
  t.after(() => bus.close());
  let done = false;
  bus.subscribe('order.created', () => {
    done = true;
  }, { group: 'audit' });
  await bus.publish('order.created', { orderId: 'o-2', total: 1 });
  await until(() => done && harness.spans().some((span) => span.name === 'process order.created'), 'the process span');
  const publish = harness.span('publish order.created');
  const process = harness.span('process order.created');
  assert.notEqual(process.spanContext().traceId, publish.spanContext().traceId);
  assert.equal(process.parentSpanContext, undefined);
  assert.equal(process.links[0]?.context.traceId, publish.spanContext().traceId);
});

test('a failing handler is retried with span events, then dead-lettered with the reason; other events keep flowing', async (t) => {
  harness.exporter.reset();
  const registry = createMetricsRegistry();
  const transport = memoryTransport();
  const bus = createEventBus<Events>({ source: 'orders', registry, transport });
  t.after(() => bus.close());
  let runs = 0;
  bus.subscribe('order.failed', () => {
    runs += 1;
    throw new TypeError('payment service said no');
  }, { group: 'billing', maxDeliver: 3, retry: { initialDelayMs: 5, jitter: false } });
  const ok: string[] = [];
  bus.subscribe('order.created', (event) => {
    ok.push(event.data.orderId);
  }, { group: 'billing' });

  const failed = await bus.publish('order.failed', { orderId: 'bad' });
  for (let index = 0; index < 5; index += 1) await bus.publish('order.created', { orderId: `o-${index}`, total: index });
  await until(() => transport.deadLetters().length === 1 && ok.length === 5, 'the dead letter');
  assert.equal(runs, 3);
  const letter = transport.deadLetters()[0]!;
  assert.equal(letter.info.reason, 'handler_failed');
  assert.equal(letter.info.errorType, 'TypeError');
  assert.match(letter.info.detail, /run 3 of 3: payment service said no/);
  assert.equal(letter.attempts, 3);
  assert.equal(letter.destination, 'billing');
  assert.equal((JSON.parse(new TextDecoder().decode(letter.body)) as { id: string }).id, failed.id);

  await until(() => harness.spans().filter((span) => span.name === 'process order.failed').length === 3, 'three process spans');
  const runsSpans = harness.spans().filter((span) => span.name === 'process order.failed');
  for (const span of runsSpans) {
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    assert.equal(span.attributes['error.type'], 'TypeError');
  }
  assert.equal(runsSpans.filter((span) => span.events.some((event) => event.name === RETRY_SPAN_EVENT)).length, 2);
  assert.equal(runsSpans.filter((span) => span.events.some((event) => event.name === DEAD_LETTER_SPAN_EVENT)).length, 1);

  const text = await registry.render('prometheus');
  const labels = { messaging_destination_name: 'order.failed', messaging_consumer_group_name: 'billing' };
  assert.equal(sampleValue(text, 'messaging_client_consumed_messages_total', { ...labels, outcome: 'retry', error_type: 'TypeError' }), 2);
  assert.equal(sampleValue(text, 'messaging_client_consumed_messages_total', { ...labels, outcome: 'dead_letter', error_type: 'TypeError' }), 1);
  assert.equal(sampleValue(text, 'messaging_client_consumed_messages_total', { messaging_destination_name: 'order.created', outcome: 'success' }), 5);
});

test('a payload that fails its Standard Schema is dead-lettered as invalid_payload, never handed to the handler', async (t) => {
  const registry = createMetricsRegistry();
  const transport = memoryTransport();
  const bus = createEventBus<Events>({ source: 'orders', registry, transport });
  t.after(() => bus.close());
  const handled: number[] = [];
  bus.subscribe('order.created', (event) => {
    handled.push(event.data.total);
  }, { group: 'billing', schema: z.object({ orderId: z.string(), total: z.number().positive() }) });
  await bus.publish('order.created', { orderId: 'o-1', total: -5 });
  await bus.publish('order.created', { orderId: 'o-2', total: 5 });
  await until(() => handled.length === 1 && transport.deadLetters().length === 1, 'validation');
  assert.deepEqual(handled, [5]);
  assert.equal(transport.deadLetters()[0]!.info.reason, 'invalid_payload');
  assert.match(transport.deadLetters()[0]!.info.detail, /total/);
  const text = await registry.render('prometheus');
  assert.equal(sampleValue(text, 'sightline_events_rejected_total', { reason: 'invalid_payload' }), 1);
});

test('a full memory queue rejects with EventQueueFullError, counts it, and close() processes every accepted event', async () => {
  const registry = createMetricsRegistry();
  const bus = createEventBus<Events>({ source: 'orders', registry, transport: memoryTransport({ capacity: 3 }) });
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const processed: string[] = [];
  bus.subscribe('order.created', async (event) => {
    await gate;
    processed.push(event.data.orderId);
  }, { group: 'billing', concurrency: 1 });

  const accepted: string[] = [];
  const rejected: unknown[] = [];
  for (let index = 0; index < 10; index += 1) {
    try {
      await bus.publish('order.created', { orderId: `o-${index}`, total: index });
      accepted.push(`o-${index}`);
    } catch (error) {
      rejected.push(error);
    }
  }
  // One event is running (held by the gate), three wait in the queue.
  assert.equal(accepted.length, 4);
  assert.equal(rejected.length, 6);
  for (const error of rejected) {
    assert.ok(error instanceof EventQueueFullError);
    assert.equal(error.code, 'SIGHTLINE_EVENT_QUEUE_FULL');
    assert.equal(error.group, 'billing');
  }
  const text = await registry.render('prometheus');
  assert.equal(sampleValue(text, 'sightline_events_rejected_total', { messaging_destination_name: 'order.created', reason: 'queue_full' }), 6);
  assert.equal(sampleValue(text, 'sightline_event_backlog', { messaging_consumer_group_name: 'billing' }), 4);
  assert.equal(sampleValue(text, 'messaging_client_sent_messages_total', { error_type: 'SIGHTLINE_EVENT_QUEUE_FULL' }), 6);

  const closing = bus.close();
  release();
  await closing;
  assert.deepEqual(processed, accepted);
  await assert.rejects(bus.publish('order.created', { orderId: 'late', total: 0 }), EventBusClosedError);
  await bus.close();
});

test('onFull wait makes publish wait for room instead of rejecting', async () => {
  const bus = createEventBus<Events>({ source: 'orders', transport: memoryTransport({ capacity: 1, onFull: 'wait' }) });
  const processed: string[] = [];
  bus.subscribe('order.created', async (event) => {
    await new Promise((resolve) => setImmediate(resolve));
    processed.push(event.data.orderId);
  }, { group: 'billing' });
  await Promise.all(Array.from({ length: 20 }, (_, index) => bus.publish('order.created', { orderId: `o-${index}`, total: index })));
  await bus.close();
  assert.equal(processed.length, 20);
});

test('subscribe options are validated and duplicates refused', async () => {
  const bus = createEventBus<Events>({ source: 'orders' });
  bus.subscribe('order.created', () => undefined, { group: 'g' });
  assert.throws(() => bus.subscribe('order.created', () => undefined, { group: 'g' }), DuplicateSubscriptionError);
  assert.throws(() => bus.subscribe('order.failed', () => undefined, { group: 'g', concurrency: 0 }), /`concurrency`.*got 0/);
  assert.throws(() => bus.subscribe('order.failed', () => undefined, { group: '' }), /`group`/);
  assert.throws(() => createEventBus({ source: '' }), /`source`/);
  await bus[Symbol.asyncDispose]();
  assert.throws(() => bus.subscribe('order.failed', () => undefined, { group: 'g' }), EventBusClosedError);
});

test('idempotent() skips ids already completed, with the memory store and with Redis', async (t) => {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  await redis.connect();
  const prefix = `sightline-test:${process.pid}:${Date.now()}:`;
  t.after(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });
  for (const store of [memoryIdempotencyStore({ maxEntries: 100 }), redisIdempotencyStore(redis, { prefix })]) {
    const effects: string[] = [];
    let failOnce = true;
    const handler = idempotent<'order.created', Events['order.created']>(store, (event) => {
      if (failOnce) {
        failOnce = false;
        throw new Error('first run fails');
      }
      effects.push(event.id);
    });
    const event = { id: `e-${Math.random()}` } as EventEnvelope<'order.created', Events['order.created']>;
    const context = { attempt: 1, maxDeliver: 5 };
    await assert.rejects(Promise.resolve(handler(event, context)), /first run fails/);
    await handler(event, context);
    await handler(event, context);
    assert.deepEqual(effects, [event.id]);
    assert.equal(await store.claim('held', 60_000), 'acquired');
    assert.equal(await store.claim('held', 60_000), 'in_progress');
  }
});

test('memory delivery: each handler run gets its own JSON copy of the event; mutating it changes neither the producer\'s data nor another group\'s', async (t) => {
  const bus = createEventBus<{ 'cart.changed': { items: string[]; at?: Date | string } }>({ source: 'orders' });
  t.after(() => bus.close());
  const seen: { group: string; items: string[]; at: unknown }[] = [];
  for (const group of ['first', 'second']) {
    bus.subscribe('cart.changed', (event) => {
      seen.push({ group, items: [...event.data.items], at: event.data.at });
      event.data.items.push(`added by ${group}`);
      (event as { id: string }).id = 'changed';
    }, { group });
  }
  const data = { items: ['a'], at: new Date('2026-12-01T00:00:00Z') };
  const published = await bus.publish('cart.changed', data);
  await until(() => seen.length === 2, 'both groups');
  for (const entry of seen) {
    assert.deepEqual(entry.items, ['a']);
    assert.equal(entry.at, '2026-12-01T00:00:00.000Z', 'data arrives as JSON, as it would over a broker');
  }
  assert.deepEqual(data.items, ['a']);
  assert.notEqual(published.id, 'changed');
});

test('memory delivery: an event the bus publishes that a consumer would refuse is still refused with its reason', async (t) => {
  const registry = createMetricsRegistry();
  const transport = memoryTransport();
  const bus = createEventBus<{ 'tree.grown': unknown }>({ source: 'orders', registry, transport });
  t.after(() => bus.close());
  const handled: unknown[] = [];
  bus.subscribe('tree.grown', (event) => {
    handled.push(event.data);
  }, { group: 'g' });
  let deep: unknown = 'leaf';
  for (let level = 0; level < 100; level += 1) deep = [deep];
  await bus.publish('tree.grown', deep);
  await bus.publish('tree.grown', 1, { tenantId: 'no spaces allowed' });
  await bus.publish('tree.grown', 2);
  await until(() => transport.deadLetters().length === 2 && handled.length === 1, 'two dead letters and one event');
  assert.deepEqual(handled, [2]);
  assert.deepEqual(transport.deadLetters().map((letter) => letter.info.reason).sort(), ['invalid_envelope', 'too_deep']);
});
