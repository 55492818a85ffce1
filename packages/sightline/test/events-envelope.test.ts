import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CloudEvent } from 'cloudevents';
import { withTenant } from 'sightline';
import { createEnvelope, encodeEnvelope, parseEnvelope, parseTraceparent, uuidv7, uuidv7Time } from 'sightline/events';
import { startTracingHarness } from './support/tracing-harness.ts';
import type { TracingHarness } from './support/tracing-harness.ts';

let harness: TracingHarness;
before(() => {
  harness = startTracingHarness();
});
after(() => harness.close());

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

test('uuidv7 ids are version 7, variant 10, carry the time and strictly increase within a millisecond', () => {
  const now = Date.UTC(2026, 10, 30, 12, 0, 0, 123);
  const ids = Array.from({ length: 5000 }, () => uuidv7(now));
  for (const id of ids) {
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  }
  assert.equal(uuidv7Time(ids[0]!), now);
  for (let index = 1; index < ids.length; index += 1) assert.ok(ids[index - 1]! < ids[index]!, `${ids[index - 1]} < ${ids[index]}`);
  assert.equal(new Set(ids).size, ids.length);
  const earlier = uuidv7(now - 10_000);
  assert.ok(earlier > ids.at(-1)!, 'a clock step back still gives a larger id');
});

test('envelopes validate with the official CloudEvents SDK, tenant and actor from context', () => {
  const envelope = withTenant({ tenantId: 'acme', userId: 'u-7' }, () =>
    createEnvelope({
      type: 'order.created',
      source: 'orders',
      data: { orderId: 'o-1', total: 12.5 },
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'congo=t61rcWkgMzE',
    }),
  );
  assert.equal(envelope.tenantid, 'acme');
  assert.equal(envelope.actorid, 'u-7');
  const wire = JSON.parse(new TextDecoder().decode(encodeEnvelope(envelope))) as Record<string, unknown>;
  const cloudEvent = new CloudEvent(wire, true);
  assert.equal(cloudEvent.validate(), true);
  assert.equal(cloudEvent.specversion, '1.0');
  assert.equal(cloudEvent.id, envelope.id);
  assert.equal(cloudEvent['traceparent'], envelope.traceparent);
  assert.equal(cloudEvent['tenantid'], 'acme');
  assert.deepEqual(cloudEvent.data, { orderId: 'o-1', total: 12.5 });

  const explicit = createEnvelope({ type: 't', source: 's', data: null, tenantId: 'beta' });
  assert.equal(explicit.tenantid, 'beta');
  assert.equal(explicit.actorid, undefined);
  assert.equal(new CloudEvent(JSON.parse(JSON.stringify(explicit)) as Record<string, unknown>, true).validate(), true);

  const parsed = parseEnvelope(encodeEnvelope(envelope));
  assert.ok(parsed.ok);
  assert.equal(parsed.value.producer?.traceId, '0af7651916cd43dd8448eb211c80319c');
  assert.equal(parsed.value.producer?.traceState?.get('congo'), 't61rcWkgMzE');
});

test('parseEnvelope refuses malformed input with a reason', () => {
  const good = JSON.parse(JSON.stringify(createEnvelope({ type: 'a.b', source: 'svc', data: 1 }))) as Record<string, unknown>;
  const cases: [string, Uint8Array, string][] = [
    ['not JSON', encode('{"specversion":'), 'malformed_json'],
    ['not UTF-8', new Uint8Array([0xff, 0xfe, 0x7b]), 'malformed_json'],
    ['an array', encode([1, 2]), 'malformed_json'],
    ['no id', encode({ ...good, id: undefined }), 'invalid_envelope'],
    ['empty type', encode({ ...good, type: '' }), 'invalid_envelope'],
    ['spec 0.3', encode({ ...good, specversion: '0.3' }), 'invalid_envelope'],
    ['bad time', encode({ ...good, time: 'yesterday' }), 'invalid_envelope'],
    ['xml content', encode({ ...good, datacontenttype: 'application/xml' }), 'invalid_envelope'],
    ['bad extension name', encode({ ...good, Tenant_Id: 'x' }), 'invalid_envelope'],
    ['bad tenant id', encode({ ...good, tenantid: 'a b' }), 'invalid_envelope'],
    ['bad traceparent', encode({ ...good, traceparent: '00-xyz-01' }), 'invalid_traceparent'],
    ['zero trace id', encode({ ...good, traceparent: `00-${'0'.repeat(32)}-b7ad6b7169203331-01` }), 'invalid_traceparent'],
  ];
  for (const [name, body, reason] of cases) {
    const result = parseEnvelope(body);
    assert.equal(result.ok, false, name);
    if (!result.ok) {
      assert.equal(result.reason, reason, name);
      assert.ok(result.detail.length > 0);
    }
  }
  assert.equal(parseEnvelope(encode(good)).ok, true);
});

test('a traceparent header is used when the envelope has none, and header names are matched as given lower-case', () => {
  const envelope = createEnvelope({ type: 'a.b', source: 'svc', data: {} });
  const parsed = parseEnvelope(encodeEnvelope(envelope), new Map([['traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01']]));
  assert.ok(parsed.ok);
  assert.equal(parsed.value.producer?.spanId, '00f067aa0ba902b7');
  assert.equal(parseTraceparent('ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01').ok, false);
  assert.equal(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra').ok, false);
  assert.equal(parseTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra').ok, true);
});
