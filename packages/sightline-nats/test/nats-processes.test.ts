import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { createEventBus, uuidv7 } from 'sightline/events';
import { natsTransport } from 'sightline-nats';
import { startChildApp } from '../../sightline/test/support/child-app.ts';
import { startHttpReceiver } from '../../sightline/test/support/otlp-receiver.ts';
import type { ReceivedSpan } from '../../sightline/test/support/otlp-receiver.ts';
import { NATS_URL, natsFixture, until } from './support/nats.ts';

const FIXTURES = '../../../sightline-nats/test/fixtures';

test('HTTP request in process A publishes, handler in process B runs: one trace A-server -> publish -> process, tenant on B', async (t) => {
  const nats = await natsFixture(t);
  await using receiver = await startHttpReceiver();
  const common = {
    STREAM: nats.stream,
    PREFIX: nats.subjectPrefix,
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint,
    OTEL_BSP_SCHEDULE_DELAY: '50',
  };
  const register = ['--import', 'sightline/register'];
  await using consumer = startChildApp(`${FIXTURES}/events-consumer.ts`, { env: { ...common, OTEL_SERVICE_NAME: 'billing' }, execArgv: register });
  assert.deepEqual(await consumer.nextMessage(), { ready: true });
  await using producer = startChildApp(`${FIXTURES}/events-producer.ts`, { env: { ...common, OTEL_SERVICE_NAME: 'shop' }, execArgv: register });
  const { port } = await producer.nextMessage<{ port: number }>();

  const response = await fetch(`http://127.0.0.1:${port}/order`, { headers: { baggage: 'tenant.id=acme,user.id=u-9' } });
  assert.equal(response.status, 200);
  const envelope = (await response.json()) as { id: string; tenantid: string; actorid: string };
  assert.equal(envelope.tenantid, 'acme');
  assert.equal(envelope.actorid, 'u-9');
  const handled = await consumer.nextMessage<{ id: string; tenant: unknown }>();
  assert.deepEqual(handled, { handled: 1, id: envelope.id, tenant: { tenantId: 'acme', userId: 'u-9' } });

  let spans: ReceivedSpan[] = [];
  await until(() => {
    spans = receiver.spans();
    return spans.some((span) => span.name === 'process order.created') && spans.some((span) => span.kind === 'server');
  }, 'spans from both processes');
  const one = (match: (span: ReceivedSpan) => boolean, what: string): ReceivedSpan => {
    const found = spans.filter(match);
    assert.equal(found.length, 1, `one ${what}: ${JSON.stringify(spans.map((span) => [span.name, span.kind]))}`);
    return found[0]!;
  };
  const server = one((span) => span.kind === 'server', 'server span');
  const publish = one((span) => span.name === 'publish order.created', 'publish span');
  const process = one((span) => span.name === 'process order.created', 'process span');
  assert.equal(server.resource['service.name'], 'shop');
  assert.equal(publish.resource['service.name'], 'shop');
  assert.equal(process.resource['service.name'], 'billing');
  assert.equal(publish.kind, 'producer');
  assert.equal(process.kind, 'consumer');
  assert.equal(publish.traceId, server.traceId);
  assert.equal(process.traceId, server.traceId);
  assert.equal(publish.parentSpanId, server.spanId);
  assert.equal(process.parentSpanId, publish.spanId);
  assert.equal(process.attributes['tenant.id'], 'acme');
  assert.equal(process.attributes['messaging.system'], 'nats');
  assert.equal(process.attributes['messaging.message.id'], envelope.id);
  assert.equal(process.attributes['messaging.consumer.group.name'], 'billing');
  assert.equal(server.attributes['tenant.id'], 'acme');
});

test('kill the consumer mid-stream and restart it: every event processed at least once, exactly once in effect', async (t) => {
  const nats = await natsFixture(t);
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  const prefix = `sightline-test:${randomBytes(5).toString('hex')}:`;
  t.after(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });
  const env = { STREAM: nats.stream, PREFIX: nats.subjectPrefix, REDIS_PREFIX: prefix, ACK_WAIT_MS: '1000' };
  const ids = Array.from({ length: 20 }, () => uuidv7());
  const killId = ids[9]!;

  {
    await using first = startChildApp(`${FIXTURES}/events-consumer.ts`, { env: { ...env, KILL_ID: `${killId}` } });
    assert.deepEqual(await first.nextMessage(), { ready: true });
    const bus = createEventBus<{ 'order.created': { n: number } }>({
      source: 'test',
      transport: natsTransport({ servers: NATS_URL, stream: nats.stream, subjectPrefix: nats.subjectPrefix }),
    });
    for (const [n, id] of ids.entries()) await bus.publish('order.created', { n }, { id });
    await bus.close();
    assert.deepEqual(await first.exited(), { code: null, signal: 'SIGKILL' });
  }
  const beforeRestart = await redis.lrange(`${prefix}effects`, 0, -1);
  assert.ok(beforeRestart.includes(killId), 'the killed event had its effect');
  assert.ok(beforeRestart.length < ids.length, 'the consumer died mid-stream');

  await using second = startChildApp(`${FIXTURES}/events-consumer.ts`, { env });
  assert.deepEqual(await second.nextMessage(), { ready: true });
  await until(async () => new Set(await redis.lrange(`${prefix}effects`, 0, -1)).size === ids.length, 'every effect', 60_000);
  await until(async () => (await redis.lrange(`${prefix}deliveries`, 0, -1)).filter((id) => id === killId).length === 2, 'the redelivery of the killed event', 60_000);

  const deliveries = await redis.lrange(`${prefix}deliveries`, 0, -1);
  assert.deepEqual([...new Set(deliveries)].sort(), [...ids].sort(), 'every event delivered at least once');
  const effects = await redis.lrange(`${prefix}effects`, 0, -1);
  assert.equal(effects.length, ids.length, 'no effect applied twice');
  assert.deepEqual([...effects].sort(), [...ids].sort());
});
