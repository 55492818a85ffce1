/**
 * Hostile input is bounded: whatever bytes arrive on an events subject or in
 * a header, parsing never throws, refusals carry short details, warnings are
 * rate-limited, and no real tenant can pose as a metrics marker value.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { context, propagation } from '@opentelemetry/api';
import { createEventBus, encodeEnvelope, createEnvelope, MAX_ENVELOPE_DEPTH, memoryTransport, parseEnvelope } from 'sightline/events';
import { createMetricsRegistry } from '../src/metrics/registry.ts';
import { tenantLabels } from '../src/metrics/tenant-label-policy.ts';
import { createThrottledWarning } from '../src/diagnostics/throttled-warning.ts';
import { until } from './support/poll.ts';
import { sampleValue } from './support/prometheus-text.ts';
import { startTracingHarness } from './support/tracing-harness.ts';
import type { TracingHarness } from './support/tracing-harness.ts';

let harness: TracingHarness;
before(() => {
  harness = startTracingHarness();
});
after(() => harness.close());

const encoder = new TextEncoder();
const nested = (depth: number, leaf = '"x"'): string => '['.repeat(depth) + leaf + ']'.repeat(depth);
const valid = { specversion: '1.0', id: 'e-1', source: 'orders', type: 'order.created', time: '2026-12-01T00:00:00Z', data: {} };

/** 3,000 bodies an attacker could publish: deep nesting in every field, huge strings, bad bytes, bad ids and trace headers. */
function hostileBodies(): Uint8Array[] {
  const bodies: Uint8Array[] = [];
  const fields = ['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'tenantid', 'actorid', 'traceparent', 'tracestate', 'data', 'subject'];
  for (let index = 0; index < 3000; index += 1) {
    const field = fields[index % fields.length]!;
    const kind = index % 5;
    let text: string;
    if (kind === 0) text = JSON.stringify(valid).replace(/}$/, `,"${field}x":${nested(4500)}}`).replace(`"${field}x"`, `"${field}"`);
    else if (kind === 1) text = `{"${field}":${nested(100 + index)}}`;
    else if (kind === 2) text = JSON.stringify({ ...valid, [field]: 'é'.repeat(20_000 + index) });
    else if (kind === 3) text = `{"specversion":"1.0","${'k'.repeat(9000)}":1}`;
    else text = nested(5000 + index, '{');
    bodies.push(encoder.encode(text));
  }
  bodies.push(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), new Uint8Array(2_000_000).fill(0x5b));
  return bodies;
}

test('parseEnvelope never throws on 3,000 hostile bodies, and every refusal detail is short', () => {
  let refused = 0;
  for (const body of hostileBodies()) {
    const result = parseEnvelope(body, new Map([['traceparent', 'x'.repeat(50_000)]]));
    if (!result.ok) {
      refused += 1;
      assert.ok(result.detail.length <= 300, `detail of ${result.detail.length} characters: ${result.detail.slice(0, 80)}`);
    }
  }
  assert.equal(refused, 3002);
});

test('deep nesting and size are refused with their own reasons before parsing; data nested within the limit passes', () => {
  const deep = parseEnvelope(encoder.encode(JSON.stringify({ ...valid, data: 0 }).replace('"data":0', `"data":${nested(MAX_ENVELOPE_DEPTH)}`)));
  assert.equal(deep.ok, false);
  assert.equal(!deep.ok && deep.reason, 'too_deep');
  const withinLimit = parseEnvelope(encoder.encode(JSON.stringify({ ...valid, data: 0 }).replace('"data":0', `"data":${nested(MAX_ENVELOPE_DEPTH - 1)}`)));
  assert.equal(withinLimit.ok, true);
  const bracketsInStrings = parseEnvelope(encoder.encode(JSON.stringify({ ...valid, data: { text: '[{\\"'.repeat(500) } })));
  assert.equal(bracketsInStrings.ok, true);
  const big = parseEnvelope(encodeEnvelope(createEnvelope({ type: 't', source: 's', data: 'x'.repeat(100) })), new Map(), { maxBytes: 64 });
  assert.equal(!big.ok && big.reason, 'too_large');
  assert.match(!big.ok ? big.detail : '', /more than the 64 accepted/);
});

test('poison messages on the bus are dead-lettered with their reason, counted, never handed to the handler, and valid events flow', async (t) => {
  const registry = createMetricsRegistry();
  const transport = memoryTransport({ capacity: 5000 });
  const bus = createEventBus<{ 'order.created': { n: number } }>({ source: 'orders', registry, transport });
  t.after(() => bus.close());
  const handled: number[] = [];
  bus.subscribe('order.created', (event) => {
    handled.push(event.data.n);
  }, { group: 'billing', concurrency: 4 });
  const warningsBefore = harness.problems().length;
  const headers = { 'content-type': 'application/json' };
  for (let index = 0; index < 50; index += 1) {
    await transport.publish({ type: 'order.created', id: `p-${index}`, body: encoder.encode(`{"specversion":${nested(4500)}}`), headers });
    await bus.publish('order.created', { n: index });
  }
  await until(() => handled.length === 50 && transport.deadLetters().length === 50, 'valid events handled and poison dead-lettered');
  assert.deepEqual(new Set(transport.deadLetters().map((letter) => letter.info.reason)), new Set(['too_deep']));
  const text = await registry.render('prometheus');
  assert.equal(sampleValue(text, 'sightline_events_rejected_total', { messaging_destination_name: 'order.created', reason: 'too_deep' }), 50);
  const warnings = harness.problems().slice(warningsBefore).filter((m) => m.message.includes('dead-lettering'));
  assert.ok(warnings.length <= 5, `${warnings.length} warning lines for 50 refusals`);
});

test('invalid baggage ids write a few warning lines, not one per request', () => {
  const before = harness.problems().length;
  for (let index = 0; index < 3000; index += 1) {
    propagation.extract(context.active(), { baggage: `tenant.id=${'bad%20id'}${index}` });
  }
  const lines = harness.problems().slice(before).filter((m) => m.message.includes('baggage'));
  assert.ok(lines.length >= 1 && lines.length <= 5, `${lines.length} lines for 3,000 bad entries`);
});

test('a throttled warning reports how many it suppressed once the interval is over', () => {
  let now = 0;
  const warn = createThrottledWarning({ burst: 2, intervalMs: 1000, now: () => now });
  const before = harness.problems().length;
  for (let index = 0; index < 10; index += 1) warn(`problem ${index}`);
  now = 1500;
  warn('problem later');
  const lines = harness.problems().slice(before).map((m) => m.message);
  assert.deepEqual(lines.map((line) => line.replace(/ in the last \d+ s/, '')), [
    'problem 0',
    'problem 1',
    'sightline: 8 similar warning(s) suppressed',
    'problem later',
  ]);
});

test('a tenant named like a marker value keeps its own label value', () => {
  const listed = tenantLabels.allowList(['other', '__overflow__', 'acme']);
  assert.equal(listed.labelFor('other'), '#other');
  assert.equal(listed.labelFor('__overflow__'), '#__overflow__');
  assert.equal(listed.labelFor('acme'), 'acme');
  assert.equal(listed.labelFor('globex'), 'other');
  const top = tenantLabels.topK(1);
  for (let index = 0; index < 20; index += 1) top.labelFor('other');
  assert.equal(top.labelFor('other'), '#other');
});
