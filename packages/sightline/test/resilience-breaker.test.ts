import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import CircuitBreaker from 'opossum';
import Opossum9 from 'opossum9';
import Opossum8 from 'opossum8';
import * as cockatiel from 'cockatiel';
import * as cockatiel3 from 'cockatiel3';
import type { IBackoff, IBackoffFactory } from 'cockatiel';
import { withSpan } from 'sightline';
import { instrumentBreaker, BREAKER_TRANSITION_EVENT } from 'sightline/resilience';
import { createMetricsRegistry } from '../src/metrics/registry.ts';
import type { MetricsRegistry } from '../src/metrics/registry.ts';
import { UnsupportedInstrumentationTargetError, InvalidInstrumentationOptionError } from '../src/errors.ts';
import { promtoolCheckMetrics, sampleValue } from './support/prometheus-text.ts';
import { startTracingHarness } from './support/tracing-harness.ts';

const harness = startTracingHarness();
after(() => harness.close());

type State = 'closed' | 'open' | 'half_open';

async function scrape(registry: MetricsRegistry): Promise<string> {
  return registry.render('prometheus');
}

/** Asserts the state set of `breaker` is exactly `expected`: that state 1, the two others 0. */
function assertState(text: string, breaker: string, expected: State): void {
  for (const state of ['closed', 'open', 'half_open'] as const) {
    assert.equal(
      sampleValue(text, 'sightline_circuit_breaker_state', { breaker, state }),
      state === expected ? 1 : 0,
      `${breaker} state ${state} while ${expected}`,
    );
  }
}

function transitions(text: string, breaker: string): Record<string, number> {
  const pairs = ['closed>open', 'open>half_open', 'half_open>open', 'half_open>closed'];
  return Object.fromEntries(
    pairs.map((pair) => {
      const [from, to] = pair.split('>') as [string, string];
      return [pair, sampleValue(text, 'sightline_circuit_breaker_transitions_total', { breaker, from, to }) ?? 0];
    }),
  );
}

function calls(text: string, breaker: string): Record<string, number> {
  const results = ['success', 'failure', 'rejected', 'timeout', 'fallback'];
  return Object.fromEntries(
    results.map((result) => [result, sampleValue(text, 'sightline_circuit_breaker_calls_total', { breaker, result }) ?? 0]),
  );
}

const OPOSSUM_EVENTS = ['open', 'halfOpen', 'close', 'success', 'failure', 'timeout', 'reject', 'fallback', 'shutdown'];

// opossum 10, and 9 and 8 installed beside it (the peer range is `^8 || ^9 || ^10`).
const OPOSSUM_MAJORS = [
  ['opossum 10', CircuitBreaker],
  ['opossum 9', Opossum9],
  ['opossum 8', Opossum8],
] as const;

for (const [name, Breaker] of OPOSSUM_MAJORS) {
  describe(`instrumentBreaker with ${name}`, () => {
    it('follows closed → open → half_open → closed with an exact state set, transitions and call results', async (t) => {
      // opossum half-opens from a setTimeout(resetTimeout) and times calls out from a setTimeout(timeout): mocked timers
      // make both happen exactly when the test ticks, not when a loaded machine gets round to it.
      t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
      harness.exporter.reset();
      const registry = createMetricsRegistry();
      let mode: 'ok' | 'fail' | 'hang' = 'ok';
      const action = async (): Promise<string> => {
        await Promise.resolve();
        if (mode === 'fail') throw new Error('payments down');
        if (mode === 'hang') return new Promise<string>(() => undefined);
        return 'paid';
      };
      const breaker = new Breaker(action, {
        errorThresholdPercentage: 40,
        volumeThreshold: 1,
        resetTimeout: 1000,
        timeout: 500,
      });
      const listenersBefore = OPOSSUM_EVENTS.map((event) => breaker.listenerCount(event));
      const handle = instrumentBreaker(breaker, { name: 'payments', registry });

      let text = await scrape(registry);
      assertState(text, 'payments', 'closed'); // before any call
      assert.deepEqual(transitions(text, 'payments'), { 'closed>open': 0, 'open>half_open': 0, 'half_open>open': 0, 'half_open>closed': 0 });

      assert.equal(await breaker.fire(), 'paid');
      mode = 'fail';
      await withSpan('checkout', () => assert.rejects(breaker.fire(), /payments down/));
      text = await scrape(registry);
      assertState(text, 'payments', 'open');
      const checkout = harness.span('checkout');
      assert.deepEqual(
        checkout.events.filter((event) => event.name === BREAKER_TRANSITION_EVENT).map((event) => event.attributes),
        [{ 'sightline.circuit_breaker.name': 'payments', 'sightline.circuit_breaker.from': 'closed', 'sightline.circuit_breaker.to': 'open' }],
      );

      breaker.fallback(() => 'fallback');
      assert.equal(await withSpan('refused', () => breaker.fire()), 'fallback');
      assert.equal(harness.span('refused').attributes['error.type'], 'EOPENBREAKER');

      t.mock.timers.tick(1000);
      assertState(await scrape(registry), 'payments', 'half_open');

      mode = 'hang';
      const timedOut = breaker.fire();
      t.mock.timers.tick(500);
      assert.equal(await timedOut, 'fallback');
      assertState(await scrape(registry), 'payments', 'open');

      t.mock.timers.tick(1000);
      assertState(await scrape(registry), 'payments', 'half_open');
      mode = 'ok';
      assert.equal(await breaker.fire(), 'paid');

      text = await scrape(registry);
      assertState(text, 'payments', 'closed');
      assert.deepEqual(transitions(text, 'payments'), { 'closed>open': 1, 'open>half_open': 2, 'half_open>open': 1, 'half_open>closed': 1 });
      // The timed-out call counts once (as timeout, not also as failure); each fallback is counted besides its cause.
      assert.deepEqual(calls(text, 'payments'), { success: 2, failure: 1, rejected: 1, timeout: 1, fallback: 2 });
      await promtoolCheckMetrics(text);

      handle.dispose();
      handle[Symbol.dispose]();
      assert.deepEqual(OPOSSUM_EVENTS.map((event) => breaker.listenerCount(event)), listenersBefore);
      assert.equal(sampleValue(await scrape(registry), 'sightline_circuit_breaker_state', { breaker: 'payments' }), undefined);
      breaker.shutdown();
    });

    it('reports an already open breaker as open before any call, and stops at shutdown', async () => {
      const registry = createMetricsRegistry();
      const breaker = new Breaker(() => Promise.resolve('ok'), { resetTimeout: 60_000 });
      breaker.open();
      instrumentBreaker(breaker, { name: 'search', registry });
      assertState(await scrape(registry), 'search', 'open');
      breaker.shutdown();
      assert.equal(sampleValue(await scrape(registry), 'sightline_circuit_breaker_state', { breaker: 'search', state: 'open' }), undefined);
    });
  });
}

/** A backoff whose duration the test sets: Infinity keeps the breaker open, 0 lets the next call half-open it. */
function gatedBackoff(): { factory: IBackoffFactory<unknown>; open(): void; hold(): void } {
  let duration = Infinity;
  const backoff: IBackoff<unknown> = {
    get duration() {
      return duration;
    },
    next: () => backoff,
  };
  return {
    factory: { next: () => backoff },
    open: () => {
      duration = 0;
    },
    hold: () => {
      duration = Infinity;
    },
  };
}

interface CockatielInternals {
  stateChangeEmitter: { size: number };
  breakEmitter: { size: number };
  resetEmitter: { size: number };
  halfOpenEmitter: { size: number };
  executor: { successEmitter: { size: number }; failureEmitter: { size: number } };
}

function cockatielListenerCounts(policy: unknown): number[] {
  const internals = policy as CockatielInternals;
  return [
    internals.stateChangeEmitter.size,
    internals.breakEmitter.size,
    internals.resetEmitter.size,
    internals.halfOpenEmitter.size,
    internals.executor.successEmitter.size,
    internals.executor.failureEmitter.size,
  ];
}

// cockatiel 4, and 3 installed beside it (the peer range is `^3 || ^4`). Typed as 4: 3's types
// differ only in its error filter's parameter (Error, not unknown), which this file does not use.
const COCKATIEL_MAJORS = [
  ['cockatiel 4', cockatiel],
  ['cockatiel 3', cockatiel3 as unknown as typeof cockatiel],
] as const;

for (const [name, { circuitBreaker, ConsecutiveBreaker, handleAll }] of COCKATIEL_MAJORS) {
  describe(`instrumentBreaker with ${name}`, () => {
    it('follows closed → open → half_open → closed with an exact state set, transitions and call results', async () => {
      harness.exporter.reset();
      const registry = createMetricsRegistry();
      const gate = gatedBackoff();
      const policy = circuitBreaker(handleAll, { halfOpenAfter: gate.factory, breaker: new ConsecutiveBreaker(1) });
      const listenersBefore = cockatielListenerCounts(policy);
      const handle = instrumentBreaker(policy, { name: 'inventory', registry });

      let text = await scrape(registry);
      assertState(text, 'inventory', 'closed');

      assert.equal(await policy.execute(() => 'reserved'), 'reserved');
      await withSpan('reserve', () => assert.rejects(policy.execute(() => Promise.reject(new Error('inventory down'))), /inventory down/));
      assertState(await scrape(registry), 'inventory', 'open');
      assert.deepEqual(
        harness.span('reserve').events.filter((event) => event.name === BREAKER_TRANSITION_EVENT).map((event) => event.attributes?.['sightline.circuit_breaker.to']),
        ['open'],
      );

      await withSpan('reserve refused', () => assert.rejects(policy.execute(() => 'never runs'), { name: 'Error', isBrokenCircuitError: true }));
      assert.equal(harness.span('reserve refused').attributes['error.type'], 'BrokenCircuitError');

      // The half-open trial call observes the state set while it runs.
      gate.open();
      let duringTrial = '';
      await assert.rejects(
        policy.execute(async () => {
          duringTrial = await scrape(registry);
          throw new Error('still down');
        }),
        /still down/,
      );
      assertState(duringTrial, 'inventory', 'half_open');
      gate.hold();
      assertState(await scrape(registry), 'inventory', 'open');

      gate.open();
      assert.equal(
        await policy.execute(async () => {
          duringTrial = await scrape(registry);
          return 'reserved';
        }),
        'reserved',
      );
      assertState(duringTrial, 'inventory', 'half_open');

      text = await scrape(registry);
      assertState(text, 'inventory', 'closed');
      assert.deepEqual(transitions(text, 'inventory'), { 'closed>open': 1, 'open>half_open': 2, 'half_open>open': 1, 'half_open>closed': 1 });
      assert.deepEqual(calls(text, 'inventory'), { success: 2, failure: 2, rejected: 1, timeout: 0, fallback: 0 });
      await promtoolCheckMetrics(text);

      handle.dispose();
      assert.deepEqual(cockatielListenerCounts(policy), listenersBefore);
      assert.equal(Object.hasOwn(policy, 'execute'), false);
      await assert.rejects(policy.execute(() => Promise.reject(new Error('after dispose'))));
      assert.equal(calls(await scrape(registry), 'inventory').failure, 2);
    });
  });
}

describe('instrumentBreaker input checks', () => {
  it('refuses objects of no known shape and names that would make the label unbounded', () => {
    const registry = createMetricsRegistry();
    assert.throws(() => instrumentBreaker({} as never, { name: 'x', registry }), UnsupportedInstrumentationTargetError);
    const breaker = new CircuitBreaker(() => Promise.resolve('ok'));
    assert.throws(() => instrumentBreaker(breaker, { name: 'user 42 / order 7', registry }), InvalidInstrumentationOptionError);
    breaker.shutdown();
  });
});
