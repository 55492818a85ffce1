/**
 * The shop's PostgreSQL store: its own schema (created at start, dropped at
 * close), the product catalogue and the orders. Queries go through `pg`,
 * which the pg auto-instrumentation traces (a CLIENT span per query, SQL
 * with literals as parameters) and `instrumentPgPool` times
 * (`db_client_operation_duration_seconds` by operation and table, and the
 * pool's connections).
 */
import pg from 'pg';
import type { MetricsRegistry } from 'sightline';
import { instrumentPgPool } from 'sightline/pg';

export interface Product {
  readonly id: string;
  readonly name: string;
  readonly priceCents: number;
}

export interface OrderLine {
  readonly productId: string;
  readonly quantity: number;
}

export type OrderStatus = 'pending' | 'paid' | 'payment_failed';

export interface Order {
  readonly id: string;
  readonly tenantId: string;
  readonly status: OrderStatus;
  readonly totalCents: number;
  readonly lines: readonly OrderLine[];
  readonly createdAt: string;
}

export interface ShopDatabase extends AsyncDisposable {
  readonly pool: pg.Pool;
  findProduct(id: string): Promise<Product | undefined>;
  insertOrder(order: Omit<Order, 'createdAt'>): Promise<void>;
  setOrderStatus(tenantId: string, id: string, status: OrderStatus): Promise<void>;
  findOrder(tenantId: string, id: string): Promise<Order | undefined>;
  ping(): Promise<void>;
  /** Drops the schema and closes the pool. Idempotent. */
  close(): Promise<void>;
}

/** How many products the catalogue is seeded with (`p-1` ... `p-N`). */
export const PRODUCT_COUNT = 60;

interface OrderRow {
  id: string;
  tenant_id: string;
  status: OrderStatus;
  total_cents: number;
  lines: OrderLine[];
  created_at: Date;
}

/** Connects, creates `schema` with its tables and seeds the catalogue. */
export async function openDatabase(databaseUrl: string, schema: string, registry: MetricsRegistry): Promise<ShopDatabase> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, options: `-c search_path=${schema}` });
  const instrumentation = instrumentPgPool(pool, { name: 'shop-db', registry });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on the next query.
  });
  try {
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query(`CREATE TABLE products (id text PRIMARY KEY, name text NOT NULL, price_cents integer NOT NULL)`);
    await pool.query(`CREATE TABLE orders (
      id uuid PRIMARY KEY, tenant_id text NOT NULL, status text NOT NULL, total_cents integer NOT NULL,
      lines jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    await pool.query(
      `INSERT INTO products (id, name, price_cents)
       SELECT 'p-' || n, 'Product ' || n, 100 + (n * 37) % 4900 FROM generate_series(1, $1::int) AS n`,
      [PRODUCT_COUNT],
    );
  } catch (error) {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    instrumentation.dispose();
    await pool.end();
    throw error;
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      try {
        await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        instrumentation.dispose();
        await pool.end();
      }
    })());

  return {
    pool,
    async findProduct(id) {
      const { rows } = await pool.query<{ id: string; name: string; price_cents: number }>(
        'SELECT id, name, price_cents FROM products WHERE id = $1',
        [id],
      );
      const row = rows[0];
      return row && { id: row.id, name: row.name, priceCents: row.price_cents };
    },
    async insertOrder(order) {
      await pool.query('INSERT INTO orders (id, tenant_id, status, total_cents, lines) VALUES ($1, $2, $3, $4, $5)', [
        order.id,
        order.tenantId,
        order.status,
        order.totalCents,
        JSON.stringify(order.lines),
      ]);
    },
    async setOrderStatus(tenantId, id, status) {
      await pool.query('UPDATE orders SET status = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, id, status]);
    },
    async findOrder(tenantId, id) {
      const { rows } = await pool.query<OrderRow>(
        'SELECT id, tenant_id, status, total_cents, lines, created_at FROM orders WHERE tenant_id = $1 AND id = $2',
        [tenantId, id],
      );
      const row = rows[0];
      return (
        row && {
          id: row.id,
          tenantId: row.tenant_id,
          status: row.status,
          totalCents: row.total_cents,
          lines: row.lines,
          createdAt: row.created_at.toISOString(),
        }
      );
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
