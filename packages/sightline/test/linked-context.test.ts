/**
 * The linked context incoming requests start from: it must behave as the
 * API's own contexts do, whatever sets values on it and however deep.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createContextKey, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { EMPTY_LINKED_CONTEXT } from '../src/context/linked-context.ts';

void describe('linked context', () => {
  const first = createContextKey('first');
  const second = createContextKey('second');

  void it('sets, overrides and deletes values without changing the context it came from', () => {
    const a = EMPTY_LINKED_CONTEXT.setValue(first, 1);
    const b = a.setValue(second, 2).setValue(first, 3);
    const c = b.deleteValue(first);
    assert.equal(EMPTY_LINKED_CONTEXT.getValue(first), undefined);
    assert.deepEqual([a.getValue(first), a.getValue(second)], [1, undefined]);
    assert.deepEqual([b.getValue(first), b.getValue(second)], [3, 2]);
    assert.deepEqual([c.getValue(first), c.getValue(second)], [undefined, 2]);
  });

  void it('carries spans and baggage as the API sets them', () => {
    const span = trace.wrapSpanContext({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 });
    const baggage = propagation.createBaggage({ 'tenant.id': { value: 'acme' } });
    const ctx = propagation.setBaggage(trace.setSpan(EMPTY_LINKED_CONTEXT, span), baggage);
    assert.equal(trace.getSpan(ctx), span);
    assert.equal(propagation.getBaggage(ctx), baggage);
    assert.equal(trace.getSpan(trace.deleteSpan(ctx)), undefined);
  });

  void it('keeps every value when a long chain of settings is folded', () => {
    const keys = Array.from({ length: 100 }, (_, index) => createContextKey(`key ${index}`));
    let linked = EMPTY_LINKED_CONTEXT;
    let plain = ROOT_CONTEXT;
    for (const [index, key] of keys.entries()) {
      linked = linked.setValue(key, index).setValue(first, index);
      plain = plain.setValue(key, index).setValue(first, index);
      if (index % 7 === 0) {
        linked = linked.deleteValue(keys[index - 1] ?? second);
        plain = plain.deleteValue(keys[index - 1] ?? second);
      }
    }
    for (const key of [...keys, first, second]) assert.equal(linked.getValue(key), plain.getValue(key), String(key));
  });
});
