import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import pg from 'pg';
import pg811 from 'pg811';
import { instrumentPgPool, summarizeSql } from 'sightline/pg';
import { redactPgErrorText } from '../src/db/pg-error-text.ts';
import { createMetricsRegistry } from '../src/metrics/registry.ts';
import { promtoolCheckMetrics, sampleValue } from './support/prometheus-text.ts';
import { startTracingHarness } from './support/tracing-harness.ts';

const harness = startTracingHarness();
const schema = `sightline_test_${randomBytes(6).toString('hex')}`;
const connection = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
const admin = new pg.Client(connection);

// pg 8 from its newest release down to 8.11.0, the lowest of the peer range, installed beside it as `pg811`.
const PG_RELEASES = [
  ['pg 8 (newest)', pg],
  ['pg 8.11.0', pg811],
] as const;

before(async () => {
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${schema}.customers (id int PRIMARY KEY, name text NOT NULL)`);
  await admin.query(`CREATE TABLE ${schema}.orders (id int PRIMARY KEY, customer_id int NOT NULL, sku text NOT NULL)`);
  await admin.query(`INSERT INTO ${schema}.customers VALUES (1, 'Ada')`);
});

after(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
  await harness.close();
});

const duration = 'db_client_operation_duration_seconds_count';

for (const [name, driver] of PG_RELEASES) {
  describe(`instrumentPgPool against PostgreSQL with ${name}`, () => {
    const newPool = (max: number): pg.Pool =>
      new driver.Pool({ ...connection, max, idleTimeoutMillis: 0, options: `-c search_path=${schema}` });

    it('labels statement durations by operation and table, failures by SQLSTATE, and traces them with literals replaced', async () => {
      harness.exporter.reset();
      await admin.query(`TRUNCATE ${schema}.orders`);
      const registry = createMetricsRegistry();
      const pool = newPool(2);
      const handle = instrumentPgPool(pool, { name: 'orders-db', registry });
      try {
        for (const id of [1, 2, 3]) await pool.query('INSERT INTO orders (id, customer_id, sku) VALUES ($1, 1, $2)', [id, `sku-${id}`]);
        await pool.query("SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.sku = 'sku-1'");
        await pool.query({ text: 'UPDATE orders SET sku = $1 WHERE id = $2', values: ['sku-9', 2] });
        const client = await pool.connect();
        await client.query('DELETE FROM orders WHERE id = 3');
        await new Promise<void>((resolve, reject) => {
          client.query('SELECT count(*) FROM customers', (error) => (error ? reject(error) : resolve()));
        });
        client.release();
        await assert.rejects(pool.query('SELECT * FROM missing_table'), { code: '42P01' });
        await assert.rejects(pool.query('INSERT INTO orders (id, customer_id, sku) VALUES (1, 1, $1)', ['dup']), { code: '23505' });

        const text = await registry.render('prometheus');
        const count = (operation: string, collection: string, errorType = '') =>
          sampleValue(text, duration, {
            db_system_name: 'postgresql',
            db_operation_name: operation,
            db_collection_name: collection,
            error_type: errorType,
          });
        assert.equal(count('INSERT', 'orders'), 3);
        assert.equal(count('SELECT', 'orders'), 1);
        assert.equal(count('UPDATE', 'orders'), 1);
        assert.equal(count('DELETE', 'orders'), 1);
        assert.equal(count('SELECT', 'customers'), 1);
        assert.equal(count('SELECT', 'missing_table', '42P01'), 1);
        assert.equal(count('INSERT', 'orders', '23505'), 1);
        await promtoolCheckMetrics(text);

        const join = harness.span('SELECT orders');
        assert.equal(join.kind, SpanKind.CLIENT);
        assert.equal(join.attributes['db.system.name'], 'postgresql');
        assert.equal(join.attributes['db.namespace'], 'test');
        assert.equal(join.attributes['db.query.text'], 'SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.sku = ?');
        assert.equal(harness.span('SELECT missing_table').attributes['error.type'], '42P01');
        assert.equal(harness.spans().filter((span) => span.name === 'INSERT orders').length, 4);
      } finally {
        handle.dispose();
        await pool.end();
      }
    });

    it('records PostgreSQL errors on spans with the SQLSTATE and the message shape, never the values they quote', async () => {
      harness.exporter.reset();
      const pool = newPool(1);
      const handle = instrumentPgPool(pool, { name: 'redaction-db', registry: createMetricsRegistry() });
      try {
        await assert.rejects(pool.query('SELECT $1::int AS n', ['4111 1111 1111 1111']), { code: '22P02' });
        await assert.rejects(pool.query("SELECT 'ada@example.com'::int AS n"), { code: '22P02' });
        await assert.rejects(pool.query('SELECT 99999999999::int4 AS n'), { code: '22003' });
        const failed = harness.spans().filter((span) => span.name === 'SELECT' && span.status.message !== undefined);
        assert.equal(failed.length, 3);
        assert.deepEqual(failed.map((span) => span.status.message), [
          'invalid input syntax for type integer: "?"',
          'invalid input syntax for type integer: "?"',
          'integer out of range',
        ]);
        for (const span of failed) {
          assert.match(String(span.attributes['error.type']), /^22(P02|003)$/);
          const recorded = JSON.stringify([span.status, span.events]);
          for (const value of ['4111', 'ada@example.com', '99999999999']) assert.ok(!recorded.includes(value), `${value} leaked into ${recorded}`);
        }
      } finally {
        handle.dispose();
        await pool.end();
      }
    });

    it('redacts the value shapes of PostgreSQL error texts and keeps every name', () => {
      const cases: [string, string][] = [
        ['invalid input syntax for type uuid: "not-a-uuid"', 'invalid input syntax for type uuid: "?"'],
        ['invalid input value for enum mood: "happyy"', 'invalid input value for enum mood: "?"'],
        ['value "99999999999" is out of range for type integer', 'value "?" is out of range for type integer'],
        ['Key (email)=(ada@example.com) already exists.', 'Key (email)=(?) already exists.'],
        ['Key (customer_id, sku)=(1, a (b)) is not present in table "customers".', 'Key (customer_id, sku)=(?) is not present in table "customers".'],
        ['Failing row contains (1, ada@example.com, -3).', 'Failing row contains (?).'],
        ['duplicate key value violates unique constraint "customers_email_key"', 'duplicate key value violates unique constraint "customers_email_key"'],
        ['column "emial" of relation "customers" does not exist', 'column "emial" of relation "customers" does not exist'],
        ['PostgreSQL error of type \'error\' occurred (code: 23505)', 'PostgreSQL error of type \'error\' occurred (code: 23505)'],
      ];
      for (const [text, redacted] of cases) assert.equal(redactPgErrorText(text), redacted, text);
    });

    it('reports connection counts and pending requests that match the pool while statements are in flight', async (t) => {
      const registry = createMetricsRegistry();
      const pool = newPool(4);
      const handle = instrumentPgPool(pool, { name: 'orders-db', registry, spans: false });
      const lockKey = Number.parseInt(randomBytes(3).toString('hex'), 16);
      const blocked = async (): Promise<number> => {
        const { rows } = await admin.query<{ waiting: number }>(
          "SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = $1",
          [lockKey],
        );
        return rows[0]?.waiting ?? 0;
      };
      const until = async (condition: () => boolean | Promise<boolean>, what: string): Promise<void> => {
        for (let attempt = 0; attempt < 1000; attempt += 1) {
          if (await condition()) return;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        throw new Error(`timed out waiting for ${what}`);
      };
      const assertMatchesPool = async (expected: { idle: number; used: number; pending: number }) => {
        const text = await registry.render('prometheus');
        const label = { db_client_connection_pool_name: 'orders-db' };
        const seen = {
          idle: sampleValue(text, 'db_client_connections_usage', { ...label, db_client_connection_state: 'idle' }),
          used: sampleValue(text, 'db_client_connections_usage', { ...label, db_client_connection_state: 'used' }),
          pending: sampleValue(text, 'db_client_connection_pending_requests', label),
        };
        assert.deepEqual(seen, { idle: pool.idleCount, used: pool.totalCount - pool.idleCount, pending: pool.waitingCount });
        assert.deepEqual(seen, expected);
        return text;
      };

      t.after(async () => {
        handle.dispose();
        await pool.end();
      });
      const holder = await pool.connect();
      const inFlight: Promise<unknown>[] = [];
      try {
        await holder.query('SELECT pg_advisory_lock($1)', [lockKey]);
        await assertMatchesPool({ idle: 0, used: 1, pending: 0 });

        for (let i = 0; i < 2; i += 1) inFlight.push(pool.query('SELECT pg_advisory_xact_lock($1)', [lockKey]));
        await until(async () => (await blocked()) === 2, 'two statements blocked on the lock');
        await assertMatchesPool({ idle: 0, used: 3, pending: 0 });

        for (let i = 0; i < 3; i += 1) inFlight.push(pool.query('SELECT pg_advisory_xact_lock($1)', [lockKey]));
        await until(async () => pool.waitingCount === 2 && (await blocked()) === 3, 'a full pool with two requests waiting');
        await assertMatchesPool({ idle: 0, used: 4, pending: 2 });
      } finally {
        await holder.query('SELECT pg_advisory_unlock($1)', [lockKey]);
        holder.release();
        await Promise.all(inFlight);
      }
      const text = await assertMatchesPool({ idle: 4, used: 0, pending: 0 });
      assert.equal(
        sampleValue(text, duration, { db_operation_name: 'SELECT', db_collection_name: '', error_type: '' }),
        7, // the holder's lock and unlock, and the five statements that waited
      );
      await promtoolCheckMetrics(text);

      handle.dispose();
      assert.equal(sampleValue(await registry.render('prometheus'), 'db_client_connections_usage', { db_client_connection_state: 'idle' }), undefined);
    });
  });
}

describe('summarizeSql', () => {
  it('finds the operation and first table, ignoring literals and comments', () => {
    assert.deepEqual(summarizeSql("select * from public.orders where note = 'from x'"), { operation: 'SELECT', collection: 'public.orders' });
    assert.deepEqual(summarizeSql('INSERT INTO "Order Lines" (id) VALUES (1)'), { operation: 'INSERT', collection: '"Order Lines"' });
    assert.deepEqual(summarizeSql('/* from secrets */ UPDATE orders SET x = 1'), { operation: 'UPDATE', collection: 'orders' });
    assert.deepEqual(summarizeSql('SELECT 1'), { operation: 'SELECT', collection: '' });
    assert.deepEqual(summarizeSql(''), { operation: '', collection: '' });
  });
});
