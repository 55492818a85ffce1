/**
 * The transport conformance suite: one `describe` per contract of
 * `EventTransport`, run through a real event bus against each transport
 * (memory here, NATS in sightline-nats, the next one beside them). A
 * transport joins by giving a {@link ConformanceTarget}.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { createEventBus, EventBusClosedError, EventTooLargeError } from 'sightline/events';
import type { EventTransport } from 'sightline/events';
import { until } from './poll.ts';

/** A dead letter as the suite reads it back, whatever the transport stores. */
export interface StoredDeadLetter {
  readonly reason: string;
  readonly detail: string;
  readonly errorType: string | undefined;
  readonly body: Uint8Array;
}

/** One isolated transport instance (own queues, streams or topics) for one test. */
export interface ConformanceInstance {
  readonly transport: EventTransport;
  /** Publishes `body` as-is on the destination of `type`, as any client of the broker could. */
  publishRaw(type: string, body: Uint8Array): Promise<void>;
  /** Dead letters stored for `destination`, oldest first. */
  deadLetters(destination: string): Promise<StoredDeadLetter[]>;
  /** Another transport on the same store, as a second process would open (durable transports). */
  reopen(): EventTransport;
  /** Cuts this instance's connection without settling anything, as a crash would. */
  crash(): Promise<void>;
}

/** How the suite gets a transport; `create` cleans up through `t.after`. */
export interface ConformanceTarget {
  readonly name: string;
  /** How long an unsettled message waits before the transport redelivers it (durable transports), in ms. */
  readonly redeliveryAfterMs: number;
  /** How long the suite waits for a condition. */
  readonly timeoutMs: number;
  create(t: TestContext): Promise<ConformanceInstance>;
}

interface Events extends Record<string, unknown> {
  'conformance.order': { n: number; fail?: number; hang?: boolean; pad?: string };
}
const TYPE = 'conformance.order';
const encoder = new TextEncoder();
const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

/** Registers the suite for `target`. */
export function describeTransportConformance(target: ConformanceTarget): void {
  const wait = (condition: () => boolean | Promise<boolean>, what: string) => until(condition, what, target.timeoutMs);
  const open = async (t: TestContext) => {
    const instance = await target.create(t);
    const bus = createEventBus<Events>({ source: 'conformance', transport: instance.transport });
    t.after(() => bus.close());
    return { instance, bus };
  };

  describe(`${target.name} transport: order where promised`, () => {
    test('with concurrency 1, events arrive in publish order', async (t) => {
      const { instance, bus } = await open(t);
      if (!instance.transport.capabilities.ordered) return t.skip('the transport does not promise order');
      const seen: number[] = [];
      await bus.subscribe(TYPE, (event) => {
        seen.push(event.data.n);
      }, { group: 'ordered' }).ready();
      for (let n = 0; n < 30; n += 1) await bus.publish(TYPE, { n });
      await wait(() => seen.length === 30, '30 events');
      assert.deepEqual(seen, Array.from({ length: 30 }, (_, n) => n));
    });
  });

  describe(`${target.name} transport: at-least-once delivery`, () => {
    test('every group gets every event, with concurrency', async (t) => {
      const { bus } = await open(t);
      const groups = { billing: new Set<number>(), audit: new Set<number>() };
      for (const [group, seen] of Object.entries(groups)) {
        await bus.subscribe(TYPE, async (event) => {
          await new Promise((resolve) => setImmediate(resolve));
          seen.add(event.data.n);
        }, { group, concurrency: 8 }).ready();
      }
      await Promise.all(Array.from({ length: 200 }, (_, n) => bus.publish(TYPE, { n })));
      await wait(() => groups.billing.size === 200 && groups.audit.size === 200, '200 events in each group');
    });
  });

  describe(`${target.name} transport: redelivery after a crash`, () => {
    test('an event held unsettled by a consumer that dies is processed by the next one', async (t) => {
      const { instance, bus } = await open(t);
      if (!instance.transport.capabilities.durable) return t.skip('the transport keeps nothing across processes');
      let started = false;
      await bus.subscribe(TYPE, () => {
        started = true;
        return new Promise(() => undefined);
      }, { group: 'crashy', timeoutMs: target.redeliveryAfterMs * 3 }).ready();
      await bus.publish(TYPE, { n: 1 });
      await wait(() => started, 'the first consumer to start the event');
      await instance.crash();

      const next = createEventBus<Events>({ source: 'conformance', transport: instance.reopen() });
      t.after(() => next.close());
      const seen: { n: number; attempt: number }[] = [];
      await next.subscribe(TYPE, (event, { attempt }) => {
        seen.push({ n: event.data.n, attempt });
      }, { group: 'crashy' }).ready();
      await wait(() => seen.length === 1, `redelivery after ${target.redeliveryAfterMs} ms`);
      assert.equal(seen[0]!.n, 1);
      assert.ok(seen[0]!.attempt >= 2, 'the redelivery counts as a further attempt');
    });
  });

  describe(`${target.name} transport: retries`, () => {
    test('a failing run is retried after the backoff with the attempt counted, then succeeds', async (t) => {
      const { bus } = await open(t);
      const runs: { attempt: number; at: number }[] = [];
      await bus.subscribe(TYPE, (event, { attempt }) => {
        runs.push({ attempt, at: performance.now() });
        if (attempt <= (event.data.fail ?? 0)) throw new Error(`fail run ${attempt}`);
      }, { group: 'retrying', maxDeliver: 5, retry: { initialDelayMs: 100, jitter: false } }).ready();
      await bus.publish(TYPE, { n: 1, fail: 2 });
      await wait(() => runs.length === 3, 'three runs');
      assert.deepEqual(runs.map((run) => run.attempt), [1, 2, 3]);
      assert.ok(runs[1]!.at - runs[0]!.at >= 95, 'the second run waited for the first delay');
      assert.ok(runs[2]!.at - runs[1]!.at >= 195, 'the third run waited for the doubled delay');
    });

    test('a run that hangs past timeoutMs counts as failed and is retried', async (t) => {
      const { bus } = await open(t);
      const attempts: number[] = [];
      await bus.subscribe(TYPE, async (_event, { attempt }) => {
        attempts.push(attempt);
        if (attempt === 1) await new Promise(() => undefined);
      }, { group: 'hanging', timeoutMs: 200, retry: { initialDelayMs: 10 } }).ready();
      await bus.publish(TYPE, { n: 1, hang: true });
      await wait(() => attempts.length === 2, 'the retry after the deadline');
      assert.deepEqual(attempts, [1, 2]);
    });
  });

  describe(`${target.name} transport: dead letters with reasons`, () => {
    test('after maxDeliver failed runs the event is dead-lettered with reason, error type and detail', async (t) => {
      const { instance, bus } = await open(t);
      let runs = 0;
      await bus.subscribe(TYPE, () => {
        runs += 1;
        throw new RangeError('cannot bill');
      }, { group: 'failing', deadLetter: 'failing-dlq', maxDeliver: 2, retry: { initialDelayMs: 10 } }).ready();
      const envelope = await bus.publish(TYPE, { n: 1 });
      await wait(async () => (await instance.deadLetters('failing-dlq')).length === 1, 'the dead letter');
      const [letter] = await instance.deadLetters('failing-dlq');
      assert.equal(runs, 2);
      assert.equal(letter!.reason, 'handler_failed');
      assert.equal(letter!.errorType, 'RangeError');
      assert.match(letter!.detail, /run 2 of 2: cannot bill/);
      assert.equal((JSON.parse(new TextDecoder().decode(letter!.body)) as { id: string }).id, envelope.id);
    });
  });

  describe(`${target.name} transport: poison and oversized messages`, () => {
    test('poison among valid events: every valid one handled, every poison one dead-lettered with its reason, handler never called for poison', async (t) => {
      const { instance, bus } = await open(t);
      const seen = new Set<number>();
      await bus.subscribe(TYPE, (event) => {
        assert.equal(typeof event.data.n, 'number');
        seen.add(event.data.n);
      }, { group: 'poisoned', deadLetter: 'poisoned-dlq', concurrency: 4 }).ready();
      const poison = [
        `{"specversion":${nested(4500)}}`,
        '{"specversion": "1.0", "id": ',
        JSON.stringify({ specversion: '1.0', id: 'x', source: 's', type: TYPE, tenantid: 'bad tenant' }),
        nested(100),
      ];
      for (let n = 0; n < 20; n += 1) {
        for (const body of poison) await instance.publishRaw(TYPE, encoder.encode(body));
        await bus.publish(TYPE, { n });
      }
      await wait(async () => seen.size === 20 && (await instance.deadLetters('poisoned-dlq')).length === 80, '20 handled and 80 dead letters');
      const reasons = new Map<string, number>();
      for (const letter of await instance.deadLetters('poisoned-dlq')) reasons.set(letter.reason, (reasons.get(letter.reason) ?? 0) + 1);
      assert.deepEqual(Object.fromEntries(reasons), { too_deep: 40, malformed_json: 20, invalid_envelope: 20 });
    });

    test('an event larger than the transport carries is refused on publish; one arriving anyway is dead-lettered as too_large', async (t) => {
      const { instance, bus } = await open(t);
      const { maxMessageBytes } = instance.transport.capabilities;
      await assert.rejects(bus.publish(TYPE, { n: 1, pad: 'x'.repeat(maxMessageBytes) }), EventTooLargeError);
      const seen: number[] = [];
      await bus.subscribe(TYPE, (event) => {
        seen.push(event.data.n);
      }, { group: 'sized', deadLetter: 'sized-dlq' }).ready();
      const body = JSON.stringify({ specversion: '1.0', id: 'big', source: 's', type: TYPE, data: { n: 0, pad: '' } });
      await instance.publishRaw(TYPE, encoder.encode(body.replace('"pad":""', `"pad":"${'x'.repeat(maxMessageBytes - body.length + 100)}"`)));
      await bus.publish(TYPE, { n: 2 });
      await wait(async () => seen.length === 1 && (await instance.deadLetters('sized-dlq')).length === 1, 'the dead letter and the next event');
      const [letter] = await instance.deadLetters('sized-dlq');
      assert.equal(letter!.reason, 'too_large');
      assert.deepEqual(seen, [2]);
    });
  });

  describe(`${target.name} transport: close and drain`, () => {
    test('close() waits for running handlers, settles them, and later publishes are refused', async (t) => {
      const { bus } = await open(t);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const started: number[] = [];
      const done: number[] = [];
      await bus.subscribe(TYPE, async (event) => {
        started.push(event.data.n);
        await gate;
        done.push(event.data.n);
      }, { group: 'draining', concurrency: 2 }).ready();
      await bus.publish(TYPE, { n: 1 });
      await bus.publish(TYPE, { n: 2 });
      // Both handlers running: an event still waiting for a worker when close() starts is given back, not run.
      await wait(() => started.length === 2, 'both handlers running');
      let closed = false;
      const closing = bus.close().then(() => {
        closed = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(closed, false, 'close waits for the running handlers');
      release();
      await closing;
      assert.deepEqual(done.sort(), [1, 2]);
      await assert.rejects(bus.publish(TYPE, { n: 3 }), EventBusClosedError);
    });
  });
}
