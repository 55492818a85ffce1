/**
 * Under a parent-based sampler the children of an unsampled local span are
 * dropped; Sightline's tracers hand such a child its parent instead of
 * making a span nobody sees. Everything else must be as the SDK decides.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { suppressTracing } from '@opentelemetry/core';
import { createSampler, samplerDropsUnsampledChildren } from '../src/telemetry/sampling/create-sampler.ts';
import { UnsampledChildrenTracerProvider } from '../src/telemetry/sampling/unsampled-children.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

function setup(t: { after(fn: () => Promise<void> | void): void }) {
  const exporter = new InMemorySpanExporter();
  const sdk = new TracerProvider({
    sampler: createSampler({ type: 'parentbased_traceidratio', ratio: 1 }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  t.after(async () => {
    context.disable();
    await sdk.shutdown();
  });
  return { exporter, tracer: new UnsampledChildrenTracerProvider(sdk).getTracer('test') };
}

const unsampledRoot = (): Span => trace.wrapSpanContext({ traceId: TRACE_ID, spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.NONE });

void describe('children of unsampled spans', () => {
  void it('the parent-based samplers and always_off drop the children of unsampled spans; the others decide afresh', () => {
    assert.equal(samplerDropsUnsampledChildren({ type: 'parentbased_always_on' }), true);
    assert.equal(samplerDropsUnsampledChildren({ type: 'rules', rules: [] }), true);
    assert.equal(samplerDropsUnsampledChildren({ type: 'rules', rules: [], parentBased: false }), false);
    assert.equal(samplerDropsUnsampledChildren({ type: 'always_off' }), true);
    assert.equal(samplerDropsUnsampledChildren({ type: 'traceidratio', ratio: 0.5 }), false);
    assert.equal(samplerDropsUnsampledChildren({ type: 'always_on' }), false);
  });

  void it('a child of an unsampled local span is that span, records nothing and propagates "not sampled"', (t) => {
    const { exporter, tracer } = setup(t);
    const parent = unsampledRoot();
    const ctx = trace.setSpan(ROOT_CONTEXT, parent);
    const child = tracer.startSpan('child', {}, ctx);
    assert.equal(child, parent);
    assert.equal(child.isRecording(), false);
    const seen = tracer.startActiveSpan('active child', {}, ctx, (span) => {
      span.end();
      return [span === parent, trace.getActiveSpan() === parent];
    });
    assert.deepEqual(seen, [true, true]);
    assert.equal(exporter.getFinishedSpans().length, 0);
  });

  void it('sampled parents, remote parents, roots and suppressed tracing go to the SDK', (t) => {
    const { exporter, tracer } = setup(t);
    const sampled = tracer.startSpan('sampled root', {}, ROOT_CONTEXT);
    const child = tracer.startSpan('sampled child', {}, trace.setSpan(ROOT_CONTEXT, sampled));
    assert.equal(child.isRecording(), true);
    assert.equal(child.spanContext().traceId, sampled.spanContext().traceId);
    child.end();
    sampled.end();

    const remote = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.NONE, isRemote: true });
    const remoteChild = tracer.startSpan('remote child', {}, remote);
    assert.equal(remoteChild.isRecording(), false);
    assert.notEqual(remoteChild.spanContext().spanId, '00f067aa0ba902b7');

    const root = tracer.startSpan('new root', { root: true }, trace.setSpan(ROOT_CONTEXT, unsampledRoot()));
    assert.equal(root.isRecording(), true);
    root.end();

    const suppressed = tracer.startSpan('suppressed', {}, suppressTracing(trace.setSpan(ROOT_CONTEXT, unsampledRoot())));
    assert.notEqual(suppressed.spanContext().traceId, TRACE_ID);

    const active = tracer.startActiveSpan('active', (span) => {
      const inside = trace.getActiveSpan() === span;
      span.end();
      return inside;
    });
    assert.equal(active, true);
    assert.deepEqual(exporter.getFinishedSpans().map((span) => span.name), ['sampled child', 'sampled root', 'new root', 'active']);
  });
});
