/**
 * One run of the event-bus scenarios, in its own process pinned to the
 * server core: publishes `events` events (each publish awaited, inside a
 * tenant context) and waits until every subscriber consumed them, then
 * prints one JSON {@link BusRunResult} line.
 *
 * Kinds: `memory` (Sightline's bus on the memory transport), `nats`
 * (Sightline's bus on the JetStream transport), `bare-nats` (the bare
 * `@nats-io/jetstream` client: the same publish with a message id, one
 * durable consumer, parse and ack). With `telemetry`, Sightline telemetry
 * runs (every span sampled, exported to the OTLP sink from the environment).
 * NATS runs use a stream unique to the run and delete it.
 */
import { randomUUID } from 'node:crypto';
import { AckPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { withTenant } from 'sightline';
import { startTelemetry } from 'sightline/sdk';
import { createEventBus, memoryTransport } from 'sightline/events';
import type { EventTransport } from 'sightline/events';
import { natsTransport } from 'sightline-nats';

/** What to run. */
export interface BusRunSpec {
  readonly kind: 'memory' | 'nats' | 'bare-nats';
  readonly telemetry: boolean;
  readonly subscribers: number;
  readonly events: number;
  readonly natsUrl: string;
}

/** What it cost. */
export interface BusRunResult {
  readonly events: number;
  readonly deliveries: number;
  readonly seconds: number;
  readonly cpuMicros: number;
}

interface Order {
  readonly orderId: string;
  readonly total: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as BusRunSpec;
const order = (i: number): Order => ({ orderId: `o-${i}`, total: 31.5 });

function deliveriesDone(expected: number): { count: () => void; done: Promise<void> } {
  let seen = 0;
  let resolve: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolve = r));
  return {
    count: () => {
      if (++seen === expected) resolve();
    },
    done,
  };
}

async function measure(publish: (i: number) => Promise<unknown>, done: Promise<void>, deliveries: number): Promise<BusRunResult> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await withTenant({ tenantId: 'acme', userId: 'u-1' }, async () => {
    for (let i = 0; i < spec.events; i++) await publish(i);
  });
  await done;
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { events: spec.events, deliveries, seconds, cpuMicros: used.user + used.system };
}

async function runBus(transport: EventTransport): Promise<BusRunResult> {
  const telemetry = spec.telemetry
    ? await startTelemetry({ sampler: { type: 'always_on' }, instrumentations: { http: false, undici: false, pg: false, ioredis: false, express: false } })
    : undefined;
  const bus = createEventBus<{ 'order.created': Order }>({ source: 'bench', transport, ...(telemetry ? { registry: telemetry.metrics } : {}) });
  const deliveries = spec.events * spec.subscribers;
  const { count, done } = deliveriesDone(deliveries);
  const subscriptions = Array.from({ length: spec.subscribers }, (_, i) =>
    bus.subscribe('order.created', () => count(), { group: `group-${i}` }),
  );
  await Promise.all(subscriptions.map((s) => s.ready()));
  try {
    return await measure((i) => bus.publish('order.created', order(i)), done, deliveries);
  } finally {
    await bus.close();
    await telemetry?.shutdown();
  }
}

async function runBareNats(stream: string): Promise<BusRunResult> {
  const nc = await connect({ servers: spec.natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const subject = `${stream}.order.created`;
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`], storage: StorageType.File, retention: RetentionPolicy.Interest });
    await jsm.consumers.add(stream, { durable_name: 'bench', ack_policy: AckPolicy.Explicit, filter_subject: subject });
    const js = jetstream(nc);
    const messages = await (await js.consumers.get(stream, 'bench')).consume();
    const { count, done } = deliveriesDone(spec.events);
    void (async () => {
      for await (const message of messages) {
        message.json<{ data: Order }>();
        message.ack();
        count();
      }
    })();
    const result = await measure((i) => {
      const id = randomUUID();
      const body = JSON.stringify({ id, type: 'order.created', source: 'bench', tenantid: 'acme', data: order(i) });
      return js.publish(subject, body, { msgID: id });
    }, done, spec.events);
    await messages.close();
    return result;
  } finally {
    await deleteStreams(nc, [stream]);
    await nc.close();
  }
}

async function deleteStreams(nc: Awaited<ReturnType<typeof connect>>, names: readonly string[]): Promise<void> {
  const jsm = await jetstreamManager(nc);
  for (const name of names) await jsm.streams.delete(name).catch(() => false);
}

async function runSightlineNats(stream: string): Promise<BusRunResult> {
  try {
    return await runBus(natsTransport({ servers: spec.natsUrl, stream, subjectPrefix: stream.toLowerCase() }));
  } finally {
    const nc = await connect({ servers: spec.natsUrl });
    await deleteStreams(nc, [stream, `${stream}_DLQ`]);
    await nc.close();
  }
}

const stream = `BENCH_${process.pid}_${Date.now()}`;
const result =
  spec.kind === 'memory'
    ? await runBus(memoryTransport({ onFull: 'wait' }))
    : spec.kind === 'nats'
      ? await runSightlineNats(stream)
      : await runBareNats(stream);
process.stdout.write(`${JSON.stringify(result)}\n`);
