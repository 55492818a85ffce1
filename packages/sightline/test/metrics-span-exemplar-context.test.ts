import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { SpanExemplarContext } from '../src/metrics/span-exemplar-context.ts';

const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };
const span = { spanContext: () => spanContext };

describe('span exemplar context', () => {
  it('holds the one span for the API to find, and nothing else', () => {
    const holder = new SpanExemplarContext();
    const context = holder.holding(span);
    assert.equal(trace.getSpanContext(context), spanContext);
    assert.equal(propagation.getBaggage(context), undefined);
    holder.release();
    assert.equal(trace.getSpanContext(context), undefined);
  });

  it('derives ordinary contexts that keep the span', () => {
    const holder = new SpanExemplarContext();
    const derived = holder.holding(span).setValue(Symbol('other'), 1);
    holder.release();
    assert.deepEqual(trace.getSpanContext(derived), spanContext);
    assert.equal(trace.getSpanContext(holder.holding(span).deleteValue(Symbol('other')))?.spanId, spanContext.spanId);
    assert.notEqual(trace.getSpanContext(ROOT_CONTEXT), spanContext);
  });
});
