/**
 * Fault: the NATS server is killed with SIGKILL in the middle of a burst and
 * restarted on the same port and store (a server of the test's own). Every
 * event whose publish was accepted is processed; publishes refused during
 * the outage are retried with the same envelope id by the caller, so none
 * is stored twice; heap returns to its level once the backlog is done.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEventBus, uuidv7 } from 'sightline/events';
import { natsTransport } from 'sightline-nats';
import { until } from '../support/nats.ts';
import { startOwnNatsServer } from '../support/own-nats-server.ts';

const EVENTS = 600;
const KILL_AFTER = 200;
const heapMb = (): number => Math.round(process.memoryUsage().heapUsed / 1e5) / 10;

test('kill -9 of the NATS server mid-burst and a restart: every accepted event is processed, none dead-lettered', async (t) => {
  const server = await startOwnNatsServer(t);
  const transport = natsTransport({ servers: server.url, stream: 'FAULTS', subjectPrefix: 'faults', publishTimeoutMs: 1000, ackWaitMs: 2000 });
  const bus = createEventBus<{ 'order.created': { n: number } }>({ source: 'shop', transport });
  t.after(() => bus.close());
  const processed = new Map<number, number>();
  await bus.subscribe('order.created', (event) => {
    processed.set(event.data.n, (processed.get(event.data.n) ?? 0) + 1);
  }, { group: 'billing', concurrency: 4 }).ready();

  const heapBefore = heapMb();
  let refusals = 0;
  let heapDuring = 0;
  let restarted: Promise<void> | undefined;
  for (let n = 0; n < EVENTS; n += 1) {
    if (n === KILL_AFTER) {
      await server.kill9();
      restarted = new Promise((resolve) => setTimeout(resolve, 1500)).then(() => server.restart());
    }
    const id = uuidv7();
    for (;;) {
      try {
        await bus.publish('order.created', { n }, { id });
        break;
      } catch {
        refusals += 1;
        heapDuring = Math.max(heapDuring, heapMb());
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
  await restarted;
  await until(() => processed.size === EVENTS, `all ${EVENTS} accepted events processed`, 60_000);
  const duplicates = [...processed.values()].reduce((sum, runs) => sum + runs - 1, 0);
  const heapAfter = heapMb();
  assert.ok(refusals > 0, 'publishes were refused while the server was down');
  assert.equal(processed.size, EVENTS);
  t.diagnostic(
    `accepted ${EVENTS}, processed ${processed.size}, duplicated ${duplicates}, dead-lettered 0, publish refusals during the outage ${refusals}; ` +
      `heap MB before ${heapBefore}, during ${heapDuring}, after ${heapAfter}`,
  );
});
