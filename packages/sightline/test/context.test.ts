import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { TextMapPropagator } from '@opentelemetry/api';
import {
  contextWithTenant,
  getTenantContext,
  hashUserId,
  InvalidTenantError,
  tenantFromContext,
  TenantContextMissingError,
  tryGetTenantContext,
  withTenant,
} from 'sightline';
import { suppressTracing } from '@opentelemetry/core';
import { createBaggagePropagator } from 'sightline/sdk';
import { startTracingHarness } from './support/tracing-harness.ts';
import type { TracingHarness } from './support/tracing-harness.ts';

const tracer = () => trace.getTracer('context-test');

function startEnded(name: string): void {
  tracer().startSpan(name).end();
}

void describe('tenant context', () => {
  let harness: TracingHarness;
  before(() => {
    harness = startTracingHarness();
  });
  after(() => harness.close());
  beforeEach(() => harness.exporter.reset());

  void it('carries tenant and user through sync and async work', async () => {
    const seen = await withTenant({ tenantId: 'acme', userId: 'u-1' }, async () => {
      const first = getTenantContext();
      await delay(1);
      const afterAwait = getTenantContext();
      const viaTimer = await new Promise((resolve) => setTimeout(() => resolve(getTenantContext()), 1));
      const inParallel = await Promise.all([1, 2].map(async () => {
        await delay(1);
        return getTenantContext();
      }));
      return [first, afterAwait, viaTimer, ...inParallel];
    });
    for (const tenant of seen) assert.deepEqual(tenant, { tenantId: 'acme', userId: 'u-1' });
    assert.equal(tryGetTenantContext(), undefined);
  });

  void it('returns the value of a sync function', () => {
    assert.equal(withTenant({ tenantId: 't1' }, () => getTenantContext().tenantId + '!'), 't1!');
  });

  void it('nested withTenant replaces the tenant and drops an outer user it does not restate', () => {
    withTenant({ tenantId: 'outer', userId: 'u-out' }, () => {
      withTenant({ tenantId: 'inner' }, () => {
        assert.deepEqual(getTenantContext(), { tenantId: 'inner' });
      });
      assert.deepEqual(getTenantContext(), { tenantId: 'outer', userId: 'u-out' });
    });
  });

  void it('keeps other baggage entries', () => {
    const base = propagation.setBaggage(
      ROOT_CONTEXT,
      propagation.createBaggage({ 'feature.flag': { value: 'on' }, 'user.id': { value: 'stale' } }),
    );
    const ctx = contextWithTenant(base, { tenantId: 'acme' });
    const baggage = propagation.getBaggage(ctx);
    assert.equal(baggage?.getEntry('feature.flag')?.value, 'on');
    assert.equal(baggage?.getEntry('tenant.id')?.value, 'acme');
    assert.equal(baggage?.getEntry('user.id'), undefined);
    assert.deepEqual(tenantFromContext(ctx), { tenantId: 'acme' });
    assert.equal(tenantFromContext(base), undefined);
  });

  void it('getTenantContext outside withTenant throws a typed error naming the fix', () => {
    assert.throws(getTenantContext, (error: unknown) => {
      assert.ok(error instanceof TenantContextMissingError);
      assert.equal(error.code, 'SIGHTLINE_TENANT_CONTEXT_MISSING');
      assert.match(error.message, /withTenant/);
      assert.match(error.message, /middleware/);
      return true;
    });
  });

  void it('rejects ids that cannot travel in baggage, before running fn', () => {
    const cases: [unknown, unknown, 'tenantId' | 'userId', RegExp][] = [
      ['', undefined, 'tenantId', /non-empty/],
      ['a b', undefined, 'tenantId', /" " is not allowed/],
      ['acme', 'x,y', 'userId', /"," is not allowed/],
      ['t'.repeat(257), undefined, 'tenantId', /at most 256 characters, got 257/],
      [42, undefined, 'tenantId', /a string, got number/],
      ['acme', 'é', 'userId', /"é" is not allowed/],
    ];
    for (const [tenantId, userId, field, message] of cases) {
      let ran = false;
      const tenant = { tenantId, userId } as { tenantId: string; userId?: string };
      assert.throws(
        () => withTenant(tenant, () => (ran = true)),
        (error: unknown) => {
          assert.ok(error instanceof InvalidTenantError);
          assert.equal(error.code, 'SIGHTLINE_INVALID_TENANT');
          assert.equal(error.field, field);
          assert.match(error.message, new RegExp(`\`${field}\``));
          assert.match(error.message, message);
          return true;
        },
      );
      assert.equal(ran, false);
    }
    assert.doesNotThrow(() => withTenant({ tenantId: '0f8c2a1e-1b2c-4d5e-8f90-a1b2c3d4e5f6', userId: 'jo.doe+x@example.com' }, () => 1));
  });

  void it('stamps tenant.id and user.id on every span inside withTenant, nested and across async hops', async () => {
    await withTenant({ tenantId: 'acme', userId: 'u-1' }, async () => {
      await tracer().startActiveSpan('parent', async (parent) => {
        startEnded('sync-child');
        await delay(1);
        startEnded('after-await');
        await new Promise<void>((resolve) =>
          setTimeout(() => {
            startEnded('in-timeout');
            resolve();
          }, 1),
        );
        await Promise.all(['a', 'b'].map(async (n) => {
          await delay(1);
          startEnded(`parallel-${n}`);
        }));
        parent.end();
      });
    });
    startEnded('outside');
    const spans = harness.spans();
    assert.equal(spans.length, 7);
    for (const span of spans.filter((s) => s.name !== 'outside')) {
      assert.equal(span.attributes['tenant.id'], 'acme', span.name);
      assert.equal(span.attributes['user.id'], 'u-1', span.name);
    }
    assert.equal(harness.span('outside').attributes['tenant.id'], undefined);
    assert.equal(harness.span('outside').attributes['user.id'], undefined);
    assert.deepEqual(harness.problems(), []);
  });

  void it('an explicit tenant.id or user.id given at span start wins over baggage', () => {
    withTenant({ tenantId: 'acme', userId: 'u-1' }, () => {
      tracer().startSpan('explicit', { attributes: { 'tenant.id': 'other', 'user.id': 'admin' } }).end();
    });
    assert.equal(harness.span('explicit').attributes['tenant.id'], 'other');
    assert.equal(harness.span('explicit').attributes['user.id'], 'admin');
  });
});

void describe('tenant span processor with hashUserIds', () => {
  let harness: TracingHarness;
  before(() => {
    harness = startTracingHarness({ tenant: { hashUserIds: true, userIdSalt: 'pepper' } });
  });
  after(() => harness.close());

  void it('records a stable salted SHA-256 prefix instead of the raw user id, wherever it came from', () => {
    withTenant({ tenantId: 'acme', userId: 'u-1' }, () => {
      startEnded('from-baggage');
      tracer().startSpan('at-start', { attributes: { 'user.id': 'u-2' } }).end();
      const late = tracer().startSpan('set-later');
      late.setAttribute('user.id', 'u-3');
      late.end();
    });
    const expected1 = hashUserId('u-1', 'pepper');
    assert.match(expected1, /^[0-9a-f]{16}$/);
    assert.equal(expected1, hashUserId('u-1', 'pepper'));
    assert.notEqual(expected1, hashUserId('u-1'));
    assert.notEqual(expected1, hashUserId('u-1', 'salt'));
    assert.equal(harness.span('from-baggage').attributes['user.id'], expected1);
    assert.equal(harness.span('from-baggage').attributes['tenant.id'], 'acme');
    assert.equal(harness.span('at-start').attributes['user.id'], hashUserId('u-2', 'pepper'));
    assert.equal(harness.span('set-later').attributes['user.id'], hashUserId('u-3', 'pepper'));
    for (const span of harness.spans()) {
      assert.ok(!String(span.attributes['user.id']).startsWith('u-'), `raw user id on ${span.name}`);
    }
    assert.deepEqual(harness.problems(), []);
  });

  void it('hashes with plain SHA-256 when no salt is set', () => {
    assert.equal(
      hashUserId('alice'),
      '2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90'.slice(0, 16),
    );
  });
});

void describe('allow-listed baggage propagator', () => {
  const getter = {
    keys: (carrier: Record<string, string>) => Object.keys(carrier),
    get: (carrier: Record<string, string>, key: string) => carrier[key],
  };
  const setter = {
    set: (carrier: Record<string, string>, key: string, value: string) => {
      carrier[key] = value;
    },
  };

  void it('injects only allowed keys', () => {
    const propagator = createBaggagePropagator();
    const ctx = propagation.setBaggage(
      ROOT_CONTEXT,
      propagation.createBaggage({
        'tenant.id': { value: 'acme' },
        'user.id': { value: 'u-1' },
        'secret.token': { value: 'hunter2' },
      }),
    );
    const carrier: Record<string, string> = {};
    propagator.inject(ctx, carrier, setter);
    assert.deepEqual(Object.keys(carrier), ['baggage']);
    assert.deepEqual(carrier['baggage']?.split(',').sort(), ['tenant.id=acme', 'user.id=u-1']);

    const onlySecret = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ 'secret.token': { value: 'x' } }));
    const empty: Record<string, string> = {};
    propagator.inject(onlySecret, empty, setter);
    assert.deepEqual(empty, {});
  });

  void it('extracts only allowed keys and drops malformed ids', () => {
    const propagator = createBaggagePropagator({ allowedKeys: ['tenant.id', 'user.id', 'region'] });
    const ctx = propagator.extract(
      ROOT_CONTEXT,
      { baggage: 'tenant.id=acme,user.id=bad%20id,secret.token=hunter2,region=eu' },
      getter,
    );
    const entries = Object.fromEntries(propagation.getBaggage(ctx)?.getAllEntries().map(([k, v]) => [k, v.value]) ?? []);
    assert.deepEqual(entries, { 'tenant.id': 'acme', region: 'eu' });
    assert.deepEqual(propagator.fields(), ['baggage']);

    const none = propagator.extract(ROOT_CONTEXT, { baggage: 'secret.token=hunter2' }, getter);
    assert.equal(none, ROOT_CONTEXT);
    assert.equal(propagator.extract(ROOT_CONTEXT, {}, getter), ROOT_CONTEXT);
  });

  void it('gives the same answer when the same baggage or header comes again, and a new one for a new one', () => {
    const propagator = createBaggagePropagator();
    const acme = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ 'tenant.id': { value: 'acme' } }));
    const globex = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ 'tenant.id': { value: 'globex' } }));
    const injected = [acme, acme, globex, acme, suppressTracing(acme)].map((ctx) => {
      const carrier: Record<string, string> = {};
      propagator.inject(ctx, carrier, setter);
      return carrier['baggage'];
    });
    assert.deepEqual(injected, ['tenant.id=acme', 'tenant.id=acme', 'tenant.id=globex', 'tenant.id=acme', undefined]);

    const tenants = ['tenant.id=acme', 'tenant.id=acme', 'tenant.id=globex', 'tenant.id=acme', 'tenant.id=bad%20id'].map((header) => {
      const base = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ 'user.id': { value: 'before' } }));
      const extracted = propagator.extract(base, { baggage: header }, getter);
      return propagation.getBaggage(extracted)?.getAllEntries().map(([key, entry]) => `${key}=${entry.value}`).join(',');
    });
    assert.deepEqual(tenants, ['tenant.id=acme', 'tenant.id=acme', 'tenant.id=globex', 'tenant.id=acme', 'user.id=before']);
  });
});

void describe('tenant across a real HTTP hop', () => {
  let harness: TracingHarness;
  before(() => {
    harness = startTracingHarness({ baggage: { allowedKeys: ['tenant.id', 'user.id'] } });
  });
  after(() => harness.close());

  void it('crosses two node:http servers with inject/extract, carrying only allow-listed entries', async (t) => {
    const propagator: TextMapPropagator = propagation;
    const headerGetter = {
      keys: (h: IncomingHttpHeaders) => Object.keys(h),
      get: (h: IncomingHttpHeaders, key: string) => h[key],
    };
    const headerSetter = {
      set: (h: OutgoingHttpHeaders, key: string, value: string) => {
        h[key] = value;
      },
    };
    const call = (port: number, path: string): Promise<{ body: string; headers: IncomingHttpHeaders }> =>
      new Promise((resolve, reject) => {
        const headers: OutgoingHttpHeaders = {};
        propagator.inject(context.active(), headers, headerSetter);
        const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ body, headers: res.headers }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });

    const received: Record<string, IncomingHttpHeaders> = {};
    const downstream = createServer((req, res) => {
      received['downstream'] = req.headers;
      const ctx = propagator.extract(context.active(), req.headers, headerGetter);
      context.with(ctx, () => {
        tracer().startActiveSpan('downstream.handle', (span) => {
          span.end();
          res.end(JSON.stringify(tryGetTenantContext() ?? null));
        });
      });
    });
    let downstreamPort = 0;
    const upstream = createServer((req, res) => {
      received['upstream'] = req.headers;
      const ctx = propagator.extract(context.active(), req.headers, headerGetter);
      context.with(ctx, () => {
        tracer().startActiveSpan('upstream.handle', (span) => {
          call(downstreamPort, '/inner').then(
            ({ body }) => {
              span.end();
              res.end(body);
            },
            (error: unknown) => {
              span.end();
              res.statusCode = 500;
              res.end(String(error));
            },
          );
        });
      });
    });
    const listen = (server: typeof upstream) =>
      new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
    downstreamPort = await listen(downstream);
    const upstreamPort = await listen(upstream);
    t.after(() => {
      upstream.close();
      downstream.close();
    });

    const clientCtx = contextWithTenant(
      propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ 'internal.note': { value: 'do-not-forward' } })),
      { tenantId: 'acme', userId: 'u-7' },
    );
    const { body } = await context.with(clientCtx, () =>
      tracer().startActiveSpan('client.call', async (span) => {
        try {
          return await call(upstreamPort, '/outer');
        } finally {
          span.end();
        }
      }),
    );

    assert.deepEqual(JSON.parse(body), { tenantId: 'acme', userId: 'u-7' });
    for (const hop of ['upstream', 'downstream']) {
      const baggage = String(received[hop]?.['baggage']);
      assert.match(baggage, /tenant\.id=acme/, hop);
      assert.doesNotMatch(baggage, /internal\.note/, hop);
      assert.match(String(received[hop]?.['traceparent']), /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    }
    const client = harness.span('client.call');
    const up = harness.span('upstream.handle');
    const down = harness.span('downstream.handle');
    assert.equal(up.spanContext().traceId, client.spanContext().traceId);
    assert.equal(down.spanContext().traceId, client.spanContext().traceId);
    assert.equal(up.parentSpanContext?.spanId, client.spanContext().spanId);
    assert.equal(down.parentSpanContext?.spanId, up.spanContext().spanId);
    for (const span of [client, up, down]) {
      assert.equal(span.attributes['tenant.id'], 'acme', span.name);
      assert.equal(span.attributes['user.id'], 'u-7', span.name);
    }
  });
});
