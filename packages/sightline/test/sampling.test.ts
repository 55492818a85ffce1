import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Attributes, Context } from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind, TraceFlags, propagation, trace } from '@opentelemetry/api';
import type { Sampler } from '@opentelemetry/sdk-trace';
import { InMemorySpanExporter, SamplingDecision, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { SamplerOptions } from 'sightline/sdk';
import { InvalidConfigError } from 'sightline';
import { createSampler, resolveTelemetryConfig } from 'sightline/sdk';

const TRACES = 20_000;

/** Reproducible, uniformly distributed trace ids: the SHA-256 of a label and a counter. */
function traceIds(label: string, count = TRACES): string[] {
  return Array.from({ length: count }, (_, index) => createHash('sha256').update(`${label}:${index}`).digest('hex').slice(0, 32));
}

function keeps(sampler: Sampler, traceId: string, options: { context?: Context; spanName?: string; attributes?: Attributes } = {}): boolean {
  const result = sampler.shouldSample(options.context ?? ROOT_CONTEXT, traceId, options.spanName ?? 'work', SpanKind.INTERNAL, options.attributes ?? {}, []);
  return result.decision === SamplingDecision.RECORD_AND_SAMPLED;
}

function keptCount(sampler: Sampler, ids: readonly string[], options: Parameters<typeof keeps>[2] = {}): number {
  return ids.filter((id) => keeps(sampler, id, options)).length;
}

/** Asserts `kept` of `total` is within 5 standard deviations of a binomial(total, ratio) mean. */
function assertFraction(kept: number, total: number, ratio: number): void {
  const mean = total * ratio;
  const bound = 5 * Math.sqrt(total * ratio * (1 - ratio));
  assert.ok(Math.abs(kept - mean) <= bound, `kept ${kept} of ${total}, expected ${mean} ± ${bound.toFixed(1)}`);
}

function withRemoteParent(traceId: string, sampled: boolean, context: Context = ROOT_CONTEXT): Context {
  return trace.setSpanContext(context, {
    traceId,
    spanId: traceId.slice(0, 16),
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
}

function withTenantBaggage(tenant: string, context: Context = ROOT_CONTEXT): Context {
  return propagation.setBaggage(context, propagation.createBaggage({ 'tenant.id': { value: tenant } }));
}

void describe('standard samplers', () => {
  void it('always_on and always_off keep all and none', () => {
    const ids = traceIds('always', 1000);
    assert.equal(keptCount(createSampler({ type: 'always_on' }), ids), 1000);
    assert.equal(keptCount(createSampler({ type: 'always_off' }), ids), 0);
  });

  void it('traceidratio keeps the ratio within statistical bounds, deterministically per trace id', () => {
    const ids = traceIds('ratio');
    const sampler = createSampler({ type: 'traceidratio', ratio: 0.25 });
    const first = ids.map((id) => keeps(sampler, id));
    assertFraction(first.filter(Boolean).length, TRACES, 0.25);
    const again = createSampler({ type: 'traceidratio', ratio: 0.25 });
    assert.deepEqual(ids.map((id) => keeps(again, id, { spanName: 'other' })), first);
  });

  void it('traceidratio 0 keeps nothing and 1 keeps everything', () => {
    const ids = traceIds('bounds', 2000);
    assert.equal(keptCount(createSampler({ type: 'traceidratio', ratio: 0 }), ids), 0);
    assert.equal(keptCount(createSampler({ type: 'traceidratio', ratio: 1 }), ids), 2000);
  });

  void it('parent-based samplers follow a remote parent and decide roots themselves', () => {
    const ids = traceIds('parent', 2000);
    const on = createSampler({ type: 'parentbased_always_on' });
    const off = createSampler({ type: 'parentbased_always_off' });
    const ratio = createSampler({ type: 'parentbased_traceidratio', ratio: 0.25 });
    for (const id of ids.slice(0, 50)) {
      assert.equal(keeps(on, id, { context: withRemoteParent(id, false) }), false);
      assert.equal(keeps(off, id, { context: withRemoteParent(id, true) }), true);
      assert.equal(keeps(ratio, id, { context: withRemoteParent(id, true) }), true);
      assert.equal(keeps(ratio, id, { context: withRemoteParent(id, false) }), false);
    }
    assert.equal(keptCount(on, ids), 2000);
    assert.equal(keptCount(off, ids), 0);
    assertFraction(keptCount(ratio, ids), 2000, 0.25);
  });

  void it('builds the sampler the environment asks for', () => {
    const config = resolveTelemetryConfig({}, { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' });
    assert.equal(createSampler(config.sampler).toString(), 'ParentBased{root=TraceIdRatioBased{0.1}, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler}');
    const alias = resolveTelemetryConfig({}, { OTEL_SAMPLING_RATE: '0.05' });
    assert.match(createSampler(alias.sampler).toString(), /^ParentBased\{root=TraceIdRatioBased\{0\.05\}/);
  });

  void it('validates a hand-written configuration', () => {
    assert.throws(() => createSampler({ type: 'traceidratio', ratio: 7 }), InvalidConfigError);
    assert.throws(() => createSampler({ type: 'bogus' } as unknown as SamplerOptions), { message: /Expected option sampler\.type to be one of .*rules, got 'bogus'/ });
  });
});

void describe('rule sampler', () => {
  void it('keeps every trace of a listed tenant while the default ratio keeps about 1% of others', () => {
    const sampler = createSampler({ type: 'rules', defaultRatio: 0.01, alwaysSampleTenants: ['acme'] });
    const ids = traceIds('tenants');
    const acme = withTenantBaggage('acme');
    const globex = withTenantBaggage('globex');
    assert.equal(keptCount(sampler, ids, { context: acme }), TRACES);
    assertFraction(keptCount(sampler, ids, { context: globex }), TRACES, 0.01);
    assertFraction(keptCount(sampler, ids), TRACES, 0.01);
  });

  void it('matches routes on http.route, falling back to url.path', () => {
    const sampler = createSampler({ type: 'rules', defaultRatio: 0, rules: [{ route: '/orders/:id', ratio: 'always' }, { route: /^\/admin\//, ratio: 'always' }] });
    const [id] = traceIds('route', 1) as [string];
    assert.equal(keeps(sampler, id, { attributes: { 'http.route': '/orders/:id' } }), true);
    assert.equal(keeps(sampler, id, { attributes: { 'http.route': '/orders' } }), false);
    assert.equal(keeps(sampler, id, { attributes: { 'url.path': '/admin/users' } }), true);
    assert.equal(keeps(sampler, id, { attributes: { 'http.route': '/public', 'url.path': '/admin/users' } }), false);
    assert.equal(keeps(sampler, id), false);
  });

  void it('matches span names exactly or by RegExp, and needs both matchers when a rule has both', () => {
    const sampler = createSampler({
      type: 'rules',
      defaultRatio: 0,
      rules: [
        { spanName: 'orders.place', ratio: 'always' },
        { spanName: /^publish /, route: '/events', ratio: 'always' },
      ],
    });
    const [id] = traceIds('name', 1) as [string];
    assert.equal(keeps(sampler, id, { spanName: 'orders.place' }), true);
    assert.equal(keeps(sampler, id, { spanName: 'orders.placed' }), false);
    assert.equal(keeps(sampler, id, { spanName: 'publish order.created' }), false);
    assert.equal(keeps(sampler, id, { spanName: 'publish order.created', attributes: { 'http.route': '/events' } }), true);
  });

  void it('lets the first matching rule win and never samples a health route', () => {
    const sampler = createSampler({
      type: 'rules',
      defaultRatio: 1,
      rules: [
        { route: '/health', ratio: 'never' },
        { route: /.*/, ratio: 'always' },
        { spanName: 'GET', ratio: 0.5 },
      ],
    });
    const ids = traceIds('first', 500);
    assert.equal(keptCount(sampler, ids, { spanName: 'GET', attributes: { 'http.route': '/health' } }), 0);
    assert.equal(keptCount(sampler, ids, { spanName: 'GET', attributes: { 'http.route': '/orders' } }), 500);
  });

  void it('keeps a rule ratio within statistical bounds', () => {
    const sampler = createSampler({ type: 'rules', defaultRatio: 1, rules: [{ route: '/search', ratio: 0.25 }] });
    assertFraction(keptCount(sampler, traceIds('rule-ratio'), { attributes: { 'http.route': '/search' } }), TRACES, 0.25);
  });

  void it('decides ratios from the trace id, so the spans of one trace agree', () => {
    const sampler = createSampler({ type: 'rules', parentBased: false, defaultRatio: 0.3 });
    for (const id of traceIds('agree', 500)) {
      assert.equal(keeps(sampler, id, { spanName: 'GET /orders' }), keeps(sampler, id, { spanName: 'db.query' }));
    }
  });

  void it('follows a remote parent by default, and ignores it with parentBased: false', () => {
    const [id] = traceIds('remote', 1) as [string];
    const acmeUnsampled = withRemoteParent(id, false, withTenantBaggage('acme'));
    const sampledParent = withRemoteParent(id, true);
    const parentBased = createSampler({ type: 'rules', defaultRatio: 0, alwaysSampleTenants: ['acme'] });
    assert.equal(keeps(parentBased, id, { context: acmeUnsampled }), false);
    assert.equal(keeps(parentBased, id, { context: sampledParent, attributes: { 'http.route': '/health' } }), true);
    const independent = createSampler({ type: 'rules', parentBased: false, defaultRatio: 0, alwaysSampleTenants: ['acme'] });
    assert.equal(keeps(independent, id, { context: acmeUnsampled }), true);
    assert.equal(keeps(independent, id, { context: sampledParent }), false);
  });

  void it('describes itself', () => {
    const sampler = createSampler({
      type: 'rules',
      rules: [{ route: '/health', ratio: 'never' }, { spanName: /^GET /, route: '/orders', ratio: 0.5 }],
      defaultRatio: 0.01,
      alwaysSampleTenants: ['acme', 'globex'],
    });
    assert.equal(
      sampler.toString(),
      'ParentBased{root=RuleSampler{rules=[route=/health -> never, spanName=/^GET / route=/orders -> 0.5], defaultRatio=0.01, alwaysSampleTenants=[acme, globex]}, '
        + 'remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler}',
    );
  });

  void it('matches with stateful RegExp flags the same way on every call', () => {
    const sampler = createSampler({ type: 'rules', defaultRatio: 0, rules: [{ spanName: /^orders\./gy, ratio: 'always' }] });
    const [id] = traceIds('sticky', 1) as [string];
    assert.deepEqual([1, 2, 3].map(() => keeps(sampler, id, { spanName: 'orders.place' })), [true, true, true]);
  });

  void it('decides which spans a real tracer provider exports', async () => {
    const exporter = new InMemorySpanExporter();
    const config = resolveTelemetryConfig({ sampler: { type: 'rules', defaultRatio: 0, alwaysSampleTenants: ['acme'], rules: [{ route: '/orders/:id', ratio: 'always' }] } }, {});
    const provider = new TracerProvider({ sampler: createSampler(config.sampler), spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    try {
      const tracer = provider.getTracer('sampling-test');
      tracer.startSpan('GET /orders/:id', { kind: SpanKind.SERVER, attributes: { 'http.route': '/orders/:id' } }).end();
      tracer.startSpan('GET /health', { kind: SpanKind.SERVER, attributes: { 'http.route': '/health' } }).end();
      const parent = tracer.startSpan('orders.place', {}, withTenantBaggage('acme'));
      tracer.startSpan('db.query', {}, trace.setSpan(ROOT_CONTEXT, parent)).end();
      parent.end();
      await provider.forceFlush();
      assert.deepEqual(exporter.getFinishedSpans().map((span) => span.name).sort(), ['GET /orders/:id', 'db.query', 'orders.place']);
    } finally {
      await provider.shutdown();
    }
  });
});
