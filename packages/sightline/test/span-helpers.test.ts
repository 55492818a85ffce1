import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_APP_MODULE,
  ATTR_MEASURE_DURATION_MS,
  contextWithTenant,
  measure,
  recordError,
  sightlineTracer,
  spanAttributes,
  traced,
  VERSION,
  withDbSpan,
  withEventSpan,
  withHttpClientSpan,
  withSpan,
  withTenant,
} from 'sightline';
import { startTracingHarness } from './support/tracing-harness.ts';
import type { TracingHarness } from './support/tracing-harness.ts';

class PaymentDeclinedError extends Error {}

let harness: TracingHarness;
before(() => {
  harness = startTracingHarness();
});
after(() => harness.close());
beforeEach(() => {
  harness.exporter.reset();
  harness.diagMessages.length = 0;
});

function assertNoDiagProblems(): void {
  assert.deepEqual(harness.problems(), [], 'diag reported a warning or error (e.g. a span ended twice)');
}

void describe('withSpan', () => {
  void it('returns a sync value synchronously and ends the span once', () => {
    const result = withSpan('sync.op', (span) => {
      span.setAttribute('k', 'v');
      return 42;
    });
    assert.equal(result, 42);
    const span = harness.span('sync.op');
    assert.equal(span.kind, SpanKind.INTERNAL);
    assert.equal(span.status.code, SpanStatusCode.UNSET);
    assert.equal(span.attributes['k'], 'v');
    assert.equal(span.instrumentationScope.name, 'sightline');
    assert.equal(span.instrumentationScope.version, VERSION);
    assertNoDiagProblems();
  });

  void it('control: the diag capture does see a span ended twice', () => {
    withSpan('ended.twice', (span) => span.end());
    assert.ok(harness.problems().some((p) => /only call end\(\) on a span once/.test(p.message)));
  });

  void it('returns a promise for an async fn and ends the span when it settles', async () => {
    const pending = withSpan('async.op', async () => {
      await delay(2);
      return 'done';
    });
    assert.ok(pending instanceof Promise);
    assert.equal(harness.spans().length, 0, 'span must not end before the promise settles');
    assert.equal(await pending, 'done');
    assert.equal(harness.span('async.op').ended, true);
    assertNoDiagProblems();
  });

  void it('records a sync throw: exception event, ERROR status, error.type, rethrown', () => {
    const error = new PaymentDeclinedError('card declined');
    assert.throws(() => withSpan('sync.fail', () => {
      throw error;
    }), (thrown) => thrown === error);
    const span = harness.span('sync.fail');
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    assert.equal(span.status.message, 'card declined');
    assert.equal(span.attributes['error.type'], 'PaymentDeclinedError');
    assert.equal(span.events.length, 1);
    assert.equal(span.events[0]?.name, 'exception');
    assert.equal(span.events[0]?.attributes?.['exception.message'], 'card declined');
    assertNoDiagProblems();
  });

  void it('records a rejection with the error code as error.type', async () => {
    const error = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    await assert.rejects(withSpan('async.fail', { attributes: { [ATTR_APP_MODULE]: 'payments' } }, async () => {
      await delay(1);
      throw error;
    }), (thrown) => thrown === error);
    const span = harness.span('async.fail');
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    assert.equal(span.attributes['error.type'], 'ECONNREFUSED');
    assert.equal(span.attributes['app.module'], 'payments');
    assertNoDiagProblems();
  });

  void it('nests: children get the active span as parent across awaits and Promise.all', async () => {
    await withSpan('parent', async () => {
      withSpan('child.sync', () => undefined);
      await Promise.all([
        withSpan('child.a', () => delay(2)),
        (async () => {
          await delay(1);
          await withSpan('child.b', async () => {
            await delay(1);
            return withSpan('grandchild', () => 1);
          });
        })(),
      ]);
    });
    const parent = harness.span('parent');
    for (const name of ['child.sync', 'child.a', 'child.b']) {
      const child = harness.span(name);
      assert.equal(child.parentSpanContext?.spanId, parent.spanContext().spanId, name);
      assert.equal(child.spanContext().traceId, parent.spanContext().traceId, name);
    }
    assert.equal(harness.span('grandchild').parentSpanContext?.spanId, harness.span('child.b').spanContext().spanId);
    assert.equal(parent.parentSpanContext, undefined);
    assertNoDiagProblems();
  });

  void it('honours kind, links, root, parentContext and a custom tracer', () => {
    let linkTarget = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 }).spanContext();
    withSpan('outer', () => {
      withSpan('rooted', { root: true, kind: SpanKind.SERVER, links: [{ context: linkTarget }] }, () => undefined);
    });
    const rooted = harness.span('rooted');
    assert.equal(rooted.kind, SpanKind.SERVER);
    assert.equal(rooted.parentSpanContext, undefined);
    assert.notEqual(rooted.spanContext().traceId, harness.span('outer').spanContext().traceId);
    assert.deepEqual(rooted.links.map((l) => l.context.spanId), [linkTarget.spanId]);

    linkTarget = harness.span('outer').spanContext();
    const parentContext = trace.setSpanContext(ROOT_CONTEXT, linkTarget);
    withSpan('explicit.parent', { parentContext, tracer: trace.getTracer('custom', '9.9.9') }, () => undefined);
    const explicit = harness.span('explicit.parent');
    assert.equal(explicit.parentSpanContext?.spanId, linkTarget.spanId);
    assert.equal(explicit.instrumentationScope.name, 'custom');
  });

  void it('stamps tenant.id and user.id on helper spans inside withTenant', async () => {
    await withTenant({ tenantId: 'acme', userId: 'u-1' }, () =>
      withSpan('tenant.op', async () => {
        await delay(1);
        await withDbSpan({ system: 'postgresql', operation: 'SELECT', collection: 'orders', statement: 'SELECT 1' }, () => delay(1));
      }),
    );
    for (const span of harness.spans()) {
      assert.equal(span.attributes['tenant.id'], 'acme', span.name);
      assert.equal(span.attributes['user.id'], 'u-1', span.name);
    }
    assert.equal(harness.spans().length, 2);
  });
});

void describe('traced', () => {
  void it('preserves this, arguments and return values, sync and async', async () => {
    class Orders {
      readonly prefix = 'order-';
      place = traced(function place(this: Orders, id: number): string {
        return this.prefix + String(id);
      });
      load = traced(async function (this: Orders, id: number): Promise<string> {
        await delay(1);
        return this.prefix + String(id);
      }, { name: 'orders.load', kind: SpanKind.INTERNAL });
    }
    const orders = new Orders();
    assert.equal(orders.place(7), 'order-7');
    assert.equal(await orders.load(8), 'order-8');
    assert.equal(harness.span('place').status.code, SpanStatusCode.UNSET);
    assert.ok(harness.span('orders.load'));
    assertNoDiagProblems();
  });

  void it('records errors from the wrapped function', async () => {
    const failing = traced(async function chargeCard(): Promise<never> {
      await delay(1);
      throw new TypeError('bad card');
    });
    await assert.rejects(failing(), TypeError);
    assert.equal(harness.span('chargeCard').attributes['error.type'], 'TypeError');
  });

  void it('refuses an anonymous function without a name', () => {
    assert.throws(() => traced(() => 1), { code: 'SIGHTLINE_SPAN_NAME_MISSING' });
  });
});

void describe('recordError', () => {
  void it('accepts any thrown value and never throws', () => {
    withSpan('record.many', (span) => {
      recordError('plain string');
      recordError({ weird: true }, span);
      recordError(null, span);
      recordError({ toString: () => { throw new Error('nope'); } }, span);
      recordError(new RangeError('out of range'));
    });
    const span = harness.span('record.many');
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    assert.equal(span.attributes['error.type'], 'RangeError');
    assert.ok(span.events.filter((e) => e.name === 'exception').length >= 3);
    assert.doesNotThrow(() => recordError(new Error('no active span')));
  });

  void it('uses _OTHER when the value has no code or class', () => {
    withSpan('record.other', (span) => recordError('boom', span));
    assert.equal(harness.span('record.other').attributes['error.type'], '_OTHER');
  });
});

void describe('spanAttributes', () => {
  void it('builds a frozen attribute object', () => {
    const attributes = spanAttributes()
      .module('orders')
      .operation('place')
      .tenant('acme')
      .user('u-1')
      .set('http.request.method', 'GET')
      .set('http.response.status_code', 200)
      .set('custom.flag', true)
      .build();
    assert.deepEqual(attributes, {
      'app.module': 'orders',
      'app.operation': 'place',
      'tenant.id': 'acme',
      'user.id': 'u-1',
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'custom.flag': true,
    });
    assert.ok(Object.isFrozen(attributes));
  });
});

void describe('measure', () => {
  void it('adds a duration event to the active span and passes values and errors through', async () => {
    await withSpan('with.steps', async () => {
      assert.equal(measure('parse', () => 5), 5);
      assert.equal(await measure('load', async () => {
        await delay(2);
        return 'x';
      }, { attributes: { rows: 3 } }), 'x');
      assert.throws(() => measure('validate', () => {
        throw new SyntaxError('bad');
      }), SyntaxError);
    });
    const span = harness.span('with.steps');
    assert.deepEqual(span.events.map((e) => e.name), ['parse', 'load', 'validate']);
    for (const event of span.events) {
      const duration = event.attributes?.[ATTR_MEASURE_DURATION_MS];
      assert.equal(typeof duration, 'number');
      assert.ok((duration as number) >= 0);
    }
    assert.equal(span.events[1]?.attributes?.['rows'], 3);
    assert.equal(span.events[2]?.attributes?.['error.type'], 'SyntaxError');
    assert.equal(span.status.code, SpanStatusCode.UNSET, 'measure leaves the status to the span owner');
    assert.equal(harness.spans().length, 1);
  });

  void it('creates a child span on request and records nothing without an active span', () => {
    withSpan('owner', () => measure('step', () => 1, { childSpan: true }));
    assert.equal(harness.span('step').parentSpanContext?.spanId, harness.span('owner').spanContext().spanId);
    assert.equal(measure('orphan', () => 2), 2);
    assert.equal(harness.spans().length, 2);
  });
});

void describe('withDbSpan', () => {
  void it('creates a CLIENT span named by operation and collection with sanitized query text', async () => {
    const rows = await withDbSpan(
      {
        system: 'postgresql',
        operation: 'SELECT',
        collection: 'orders',
        namespace: 'shop',
        statement: "SELECT * FROM orders WHERE tenant = 'acme' AND id IN (1, 2, 3)",
      },
      async () => {
        await delay(1);
        return [{ id: 1 }];
      },
    );
    assert.deepEqual(rows, [{ id: 1 }]);
    const span = harness.span('SELECT orders');
    assert.equal(span.kind, SpanKind.CLIENT);
    assert.deepEqual(
      {
        system: span.attributes['db.system.name'],
        operation: span.attributes['db.operation.name'],
        collection: span.attributes['db.collection.name'],
        namespace: span.attributes['db.namespace'],
        text: span.attributes['db.query.text'],
      },
      {
        system: 'postgresql',
        operation: 'SELECT',
        collection: 'orders',
        namespace: 'shop',
        text: 'SELECT * FROM orders WHERE tenant = ? AND id IN (?)',
      },
    );
  });

  void it('uses MySQL string rules for mysql and records failures', async () => {
    await assert.rejects(
      withDbSpan({ system: 'mysql', operation: 'UPDATE', collection: 'users', statement: `UPDATE users SET name = "x\\"y" WHERE id = 4` }, async () => {
        await delay(1);
        throw Object.assign(new Error('deadlock'), { code: 'ER_LOCK_DEADLOCK' });
      }),
    );
    const span = harness.span('UPDATE users');
    assert.equal(span.attributes['db.query.text'], 'UPDATE users SET name = ? WHERE id = ?');
    assert.equal(span.attributes['error.type'], 'ER_LOCK_DEADLOCK');
    assert.equal(span.status.code, SpanStatusCode.ERROR);
  });
});

void describe('withHttpClientSpan', () => {
  void it('injects trace context into a real request and records the response status', async (t) => {
    const seen: { traceparent?: string | undefined; baggage?: string | undefined }[] = [];
    const server = createServer((req, res) => {
      seen.push({ traceparent: req.headers['traceparent'] as string | undefined, baggage: req.headers['baggage'] as string | undefined });
      res.statusCode = req.url?.startsWith('/fail') === true ? 503 : 201;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => server.close());
    const { port } = server.address() as AddressInfo;
    const base = `http://svc:secret@127.0.0.1:${port}`;

    const ok = await context.with(contextWithTenant(context.active(), { tenantId: 'acme' }), () =>
      withHttpClientSpan({ method: 'post', url: `${base}/orders?token=abc#x` }, ({ headers }) =>
        fetch(`http://127.0.0.1:${port}/orders`, { method: 'POST', headers }),
      ),
    );
    assert.equal(ok.status, 201);
    const span = harness.span('POST');
    assert.equal(span.kind, SpanKind.CLIENT);
    assert.equal(span.attributes['http.request.method'], 'POST');
    assert.equal(span.attributes['url.full'], `http://127.0.0.1:${port}/orders`);
    assert.equal(span.attributes['server.address'], '127.0.0.1');
    assert.equal(span.attributes['server.port'], port);
    assert.equal(span.attributes['http.response.status_code'], 201);
    assert.equal(span.status.code, SpanStatusCode.UNSET);
    assert.equal(seen[0]?.traceparent, `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    assert.equal(seen[0]?.baggage, 'tenant.id=acme');

    const failed = await withHttpClientSpan({ method: 'GET', url: `http://127.0.0.1:${port}/fail` }, ({ headers }) =>
      fetch(`http://127.0.0.1:${port}/fail`, { headers }),
    );
    assert.equal(failed.status, 503);
    const failSpan = harness.span('GET');
    assert.equal(failSpan.status.code, SpanStatusCode.ERROR);
    assert.equal(failSpan.attributes['error.type'], '503');
    assertNoDiagProblems();
  });

  void it('handles statusCode results, setStatusCode, unknown methods, thrown errors and errorStatusFrom', async () => {
    withHttpClientSpan({ method: 'PURGE', url: 'https://cache.example/item' }, () => ({ statusCode: 404 }));
    const purge = harness.span('HTTP');
    assert.equal(purge.attributes['http.request.method'], '_OTHER');
    assert.equal(purge.attributes['http.request.method_original'], 'PURGE');
    assert.equal(purge.attributes['server.port'], 443);
    assert.equal(purge.attributes['http.response.status_code'], 404);
    assert.equal(purge.status.code, SpanStatusCode.UNSET, '4xx is not an error by default');

    withHttpClientSpan({ method: 'DELETE', url: 'http://h.example/x', errorStatusFrom: 400 }, ({ setStatusCode }) => {
      setStatusCode(409);
    });
    assert.equal(harness.span('DELETE').attributes['error.type'], '409');

    await assert.rejects(
      withHttpClientSpan({ method: 'PUT', url: 'http://127.0.0.1:1/unreachable' }, ({ headers }) =>
        fetch('http://127.0.0.1:1/unreachable', { method: 'PUT', headers }),
      ),
    );
    const put = harness.span('PUT');
    assert.equal(put.status.code, SpanStatusCode.ERROR);
    assert.equal(put.attributes['error.type'], 'TypeError');
    assertNoDiagProblems();
  });
});

void describe('withEventSpan', () => {
  void it('publish creates a PRODUCER span whose context a consumer continues as parent and link', async () => {
    const message: { headers: Record<string, string>; id: string } = { headers: {}, id: 'evt-1' };
    await withTenant({ tenantId: 'acme' }, () =>
      withEventSpan({ system: 'memory', destination: 'order.created', operation: 'publish', messageId: message.id }, async () => {
        propagation.inject(context.active(), message.headers);
        await delay(1);
      }),
    );
    const producer = harness.span('publish order.created');
    assert.equal(producer.kind, SpanKind.PRODUCER);
    assert.deepEqual(
      [producer.attributes['messaging.system'], producer.attributes['messaging.destination.name'], producer.attributes['messaging.operation.type'], producer.attributes['messaging.operation.name'], producer.attributes['messaging.message.id']],
      ['memory', 'order.created', 'send', 'publish', 'evt-1'],
    );

    const extracted = propagation.extract(ROOT_CONTEXT, message.headers);
    const producerContext = trace.getSpanContext(extracted);
    assert.ok(producerContext);
    withEventSpan(
      {
        system: 'memory',
        destination: 'order.created',
        operation: 'process',
        messageId: message.id,
        consumerGroup: 'billing',
        parentContext: extracted,
        links: [{ context: producerContext }],
      },
      () => withSpan('billing.charge', () => undefined),
    );
    const consumer = harness.span('process order.created');
    assert.equal(consumer.kind, SpanKind.CONSUMER);
    assert.equal(consumer.parentSpanContext?.spanId, producer.spanContext().spanId);
    assert.equal(consumer.spanContext().traceId, producer.spanContext().traceId);
    assert.deepEqual(consumer.links.map((l) => l.context.spanId), [producer.spanContext().spanId]);
    assert.equal(consumer.attributes['messaging.consumer.group.name'], 'billing');
    assert.equal(consumer.attributes['messaging.operation.type'], 'process');
    assert.equal(consumer.attributes['tenant.id'], 'acme', 'tenant travels in the message baggage');
    assert.equal(harness.span('billing.charge').attributes['tenant.id'], 'acme');
    assert.equal(harness.span('billing.charge').parentSpanContext?.spanId, consumer.spanContext().spanId);

    withEventSpan(
      { system: 'memory', destination: 'order.created', operation: 'process', parentContext: trace.deleteSpan(extracted), links: [{ context: producerContext }] },
      () => undefined,
    );
    const linkOnly = harness.spans().filter((s) => s.name === 'process order.created')[1];
    assert.ok(linkOnly);
    assert.equal(linkOnly.parentSpanContext, undefined);
    assert.notEqual(linkOnly.spanContext().traceId, producer.spanContext().traceId);
    assert.equal(linkOnly.links[0]?.context.spanId, producer.spanContext().spanId);
    assert.equal(linkOnly.attributes['tenant.id'], 'acme');
    assertNoDiagProblems();
  });
});

void describe('without an SDK', () => {
  void it('helpers run fn and return its value as no-ops', async () => {
    await harness.close();
    try {
      assert.equal(withSpan('noop', () => 1), 1);
      assert.equal(await withDbSpan({ system: 'postgresql', operation: 'SELECT' }, () => Promise.resolve(2)), 2);
      assert.equal(withTenant({ tenantId: 'acme' }, () => 3), 3);
      assert.equal(sightlineTracer().startSpan('x').isRecording(), false);
    } finally {
      harness = startTracingHarness();
    }
  });
});
