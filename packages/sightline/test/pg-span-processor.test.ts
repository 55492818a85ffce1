/**
 * Query spans of `@opentelemetry/instrumentation-pg` follow Sightline's
 * database conventions: end to end, an app started with
 * `--import sightline/register` queries a real PostgreSQL and its spans are
 * decoded from the OTLP bytes really sent; then the processor's rules on
 * spans of each kind, in process.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import pg from 'pg';
import { PG_INSTRUMENTATION_SCOPE, PgSpanProcessor } from 'sightline/pg';
import { startChildApp } from './support/child-app.ts';
import { startHttpReceiver } from './support/otlp-receiver.ts';
import type { ReceivedSpan } from './support/otlp-receiver.ts';

const schema = `sightline_test_${randomBytes(6).toString('hex')}`;
const admin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });

before(async () => {
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${schema}.customers (id int PRIMARY KEY, email text NOT NULL, age int NOT NULL)`);
  await admin.query(`CREATE TABLE ${schema}.orders (id int PRIMARY KEY, sku text NOT NULL, quantity int NOT NULL)`);
  await admin.query(`INSERT INTO ${schema}.customers VALUES (1, 'ada@example.com', 43)`);
});

after(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

function one(spans: readonly ReceivedSpan[], what: string, match: (span: ReceivedSpan) => boolean): ReceivedSpan {
  const found = spans.filter(match);
  assert.equal(found.length, 1, `expected exactly one ${what}, found ${found.length}: ${JSON.stringify(spans.map((s) => [s.name, s.kind]))}`);
  return found[0]!;
}

void describe('pg auto-instrumentation spans under startTelemetry', () => {
  void it('are named {operation} {table}, carry db.operation.name/db.collection.name and tenant.id, and record no literal', async () => {
    await using receiver = await startHttpReceiver();
    const env = {
      OTEL_SERVICE_NAME: 'pg-spans',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '50',
    };
    await using app = startChildApp('pg-spans-app.ts', { env, execArgv: ['--import', 'sightline/register'], args: [schema] });
    assert.deepEqual(await app.nextMessage(), { done: true, failed: true });
    assert.deepEqual(await app.exited(), { code: 0, signal: null });

    const spans = receiver.spans();
    for (const span of spans) {
      assert.equal(span.scope, PG_INSTRUMENTATION_SCOPE, `${span.name} comes from the pg instrumentation, none from instrumentPgPool`);
      assert.equal(span.kind, 'client');
      assert.equal(span.attributes['db.system.name'], 'postgresql');
    }
    const isConnect = (span: ReceivedSpan): boolean => span.attributes['db.query.text'] === undefined;
    const queries = spans.filter((span) => !isConnect(span));
    assert.equal(queries.length, 4, 'one span per statement');
    for (const span of queries) {
      assert.equal(span.attributes['db.namespace'], 'test');
      assert.doesNotMatch(span.name, /^pg\./);
    }

    const select = one(queries, 'SELECT customers', (s) => s.name === 'SELECT customers');
    assert.equal(select.attributes['db.operation.name'], 'SELECT');
    assert.equal(select.attributes['db.collection.name'], 'customers');
    assert.equal(select.attributes['db.query.text'], 'SELECT id, email FROM customers WHERE email = ? AND age > ? LIMIT ?');
    assert.equal(select.attributes['tenant.id'], 'acme');

    const insert = one(queries, 'INSERT orders', (s) => s.name === 'INSERT orders');
    assert.equal(insert.attributes['db.operation.name'], 'INSERT');
    assert.equal(insert.attributes['db.collection.name'], 'orders');
    assert.equal(insert.attributes['db.query.text'], 'INSERT INTO orders (id, sku, quantity) VALUES ($1, $2, $3)');
    assert.equal(insert.attributes['tenant.id'], undefined);

    const prepared = one(queries, 'SELECT orders (a named prepared statement)', (s) => s.name === 'SELECT orders');
    assert.equal(prepared.attributes['db.query.text'], 'SELECT id FROM orders WHERE sku = $1');
    assert.equal(prepared.attributes['db.postgresql.plan'], 'orders-by-sku');

    const failing = one(queries, 'SELECT missing_table', (s) => s.name === 'SELECT missing_table');
    assert.equal(failing.status, 'error');
    assert.equal(failing.attributes['error.type'], '42P01');
    assert.equal(failing.attributes['db.query.text'], 'SELECT * FROM missing_table WHERE token = ?');

    const connects = spans.filter(isConnect);
    assert.ok(connects.some((span) => span.name === 'pg.connect'), 'the connection span keeps its name');
    assert.ok(connects.some((span) => span.name === 'pg-pool.connect'), 'the checkout spans keep their name');
    for (const span of connects) {
      assert.match(span.name, /^pg(-pool)?\.connect$/);
      assert.equal(span.attributes['db.operation.name'], undefined);
    }
    for (const span of spans) {
      const recorded = JSON.stringify([span.name, span.attributes]);
      for (const literal of ['ada@example.com', 'hunter2', 'sku-secret-7', '417']) {
        assert.ok(!recorded.includes(literal), `${literal} leaked into ${recorded}`);
      }
    }
  });
});

void describe('PgSpanProcessor', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new PgSpanProcessor(), new SimpleSpanProcessor({ exporter })] });
  after(() => provider.shutdown());

  /** Starts a CLIENT span of `scope`, sets `db.query.text` after the start (as the pg instrumentation does) and ends it. */
  function endSpan(scope: string, name: string, attributes: Attributes, text?: string) {
    exporter.reset();
    const span = provider.getTracer(scope).startSpan(name, { kind: SpanKind.CLIENT, attributes });
    if (text !== undefined) span.setAttribute('db.query.text', text);
    span.end();
    const [finished] = exporter.getFinishedSpans();
    assert.ok(finished);
    return finished;
  }
  const postgres = { 'db.system.name': 'postgresql', 'db.namespace': 'test' };

  void it('rewrites the query spans of the pg instrumentation', () => {
    const span = endSpan(PG_INSTRUMENTATION_SCOPE, 'pg.query:UPDATE test', postgres, "UPDATE sales.orders SET note = 'x' WHERE id IN (1, 2)");
    assert.equal(span.name, 'UPDATE sales.orders');
    assert.deepEqual(span.attributes, {
      ...postgres,
      'db.query.text': 'UPDATE sales.orders SET note = ? WHERE id IN (?)',
      'db.operation.name': 'UPDATE',
      'db.collection.name': 'sales.orders',
    });
  });

  void it('sets error.type to the SQLSTATE of a failed query, keeping one already set', () => {
    const exceptionMessage = "PostgreSQL error of type 'error' occurred (code: 23505)";
    const failed = (scope: string, attributes: Attributes) => {
      exporter.reset();
      const span = provider.getTracer(scope).startSpan('pg.query:INSERT test', { kind: SpanKind.CLIENT, attributes });
      span.setAttribute('db.query.text', 'INSERT INTO orders (id) VALUES (1)');
      span.recordException(exceptionMessage);
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'duplicate key value violates unique constraint "orders_pkey"' });
      span.end();
      return exporter.getFinishedSpans()[0]?.attributes['error.type'];
    };
    assert.equal(failed(PG_INSTRUMENTATION_SCOPE, postgres), '23505');
    assert.equal(failed(PG_INSTRUMENTATION_SCOPE, { ...postgres, 'error.type': 'DatabaseError' }), 'DatabaseError');
  });

  void it('redacts the values PostgreSQL quoted in the status message and exception events, keeping names and the SQLSTATE', () => {
    exporter.reset();
    const span = provider.getTracer(PG_INSTRUMENTATION_SCOPE).startSpan('pg.query:INSERT test', { kind: SpanKind.CLIENT, attributes: postgres });
    span.setAttribute('db.query.text', 'INSERT INTO customers (id, age) VALUES ($1, $2)');
    const error = Object.assign(new Error('invalid input syntax for type integer: "4111 1111 1111 1111"'), { code: '22P02' });
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    span.end();
    const finished = exporter.getFinishedSpans()[0]!;
    assert.equal(finished.status.message, 'invalid input syntax for type integer: "?"');
    const exception = finished.events.find((event) => event.name === 'exception')!;
    assert.equal(exception.attributes?.['exception.message'], 'invalid input syntax for type integer: "?"');
    assert.ok(!JSON.stringify(finished.events).includes('4111'), 'the card number is in no event');
    assert.equal(finished.attributes['error.type'], undefined, 'no SQLSTATE in this exception message to copy');
  });

  void it('names a statement without a table by its operation, and one without either by the system', () => {
    const noTable = endSpan(PG_INSTRUMENTATION_SCOPE, 'pg.query:SELECT test', postgres, 'SELECT 1');
    assert.equal(noTable.name, 'SELECT');
    assert.equal(noTable.attributes['db.collection.name'], undefined);
    const nothing = endSpan(PG_INSTRUMENTATION_SCOPE, 'pg.query: test', postgres, '');
    assert.equal(nothing.name, 'postgresql');
    assert.equal(nothing.attributes['db.operation.name'], undefined);
  });

  void it('completes PostgreSQL query spans of other instrumentations, keeping the operation and table they set', () => {
    const span = endSpan(
      'knex-like',
      'raw query',
      { ...postgres, 'db.operation.name': 'CALL', 'db.collection.name': 'ledger' },
      "CALL post_entry('acct-1', 100)",
    );
    assert.equal(span.name, 'CALL ledger');
    assert.equal(span.attributes['db.query.text'], 'CALL post_entry(?)');
  });

  void it("leaves connection spans, Sightline's own spans and other databases alone", () => {
    assert.equal(endSpan(PG_INSTRUMENTATION_SCOPE, 'pg.connect', postgres).name, 'pg.connect');
    const own = endSpan('sightline', 'SELECT orders', { ...postgres, 'db.operation.name': 'SELECT' }, 'SELECT * FROM orders WHERE id = 1');
    assert.equal(own.name, 'SELECT orders');
    assert.equal(own.attributes['db.query.text'], 'SELECT * FROM orders WHERE id = 1');
    const mysql = endSpan('mysql-instrumentation', 'mysql.query', { 'db.system.name': 'mysql' }, "SELECT * FROM t WHERE a = 'b'");
    assert.equal(mysql.name, 'mysql.query');
    assert.equal(mysql.attributes['db.query.text'], "SELECT * FROM t WHERE a = 'b'");
  });
});
