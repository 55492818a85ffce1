/**
 * Setting up breaker, cache and PostgreSQL instrumentation. Type-checked
 * with the repository (`tsc -p tsconfig.json`); see docs/resilience.md.
 */
import CircuitBreaker from 'opossum';
import { circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';
import { LRUCache } from 'lru-cache';
import { Redis } from 'ioredis';
import pg from 'pg';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { TenantSpanProcessor } from 'sightline/sdk';
import { instrumentBreaker, instrumentCache, lruEvictionHook, redisCache } from 'sightline/resilience';
import type { CacheAdapter } from 'sightline/resilience';
import { instrumentPgPool, PgSpanProcessor } from 'sightline/pg';
import { createMetricsRegistry } from '../../packages/sightline/src/metrics/registry.ts';

interface Product {
  readonly id: string;
  readonly price: number;
}

declare function chargeCard(orderId: string): Promise<string>;
declare function reserveStock(sku: string): Promise<void>;
declare function loadProduct(id: string): Promise<Product>;

export async function setUp(): Promise<void> {
  const registry = createMetricsRegistry();

  // opossum: every event the breaker emits is observed; nothing else changes.
  const payments = new CircuitBreaker(chargeCard, { timeout: 3000, errorThresholdPercentage: 50, resetTimeout: 30_000 });
  payments.fallback(() => 'queued');
  const paymentsMetrics = instrumentBreaker(payments, { name: 'payments', registry });

  // cockatiel: the same metrics; refusals are seen through a wrapper on this policy's execute.
  const inventory = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });
  const inventoryMetrics = instrumentBreaker(inventory, { name: 'inventory', registry });
  await inventory.execute(() => reserveStock('sku-1'));

  // lru-cache: create the eviction hook first, pass it to the constructor and to instrumentCache.
  const evictions = lruEvictionHook();
  const products = instrumentCache(
    new LRUCache<string, Product>({ max: 10_000, ttl: 60_000, disposeAfter: evictions.disposeAfter }),
    { name: 'products', registry, evictions },
  );
  const product = await products.getOrLoad('p-1', loadProduct);

  // Redis through ioredis: CLIENT spans are on by default for this remote cache.
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  const sessions = instrumentCache(redisCache<{ userId: string }>(redis, { prefix: 'sessions:', ttlSeconds: 1800 }), {
    name: 'sessions',
    registry,
  });
  await sessions.set('s-1', { userId: 'u-1' });

  // Any other cache: implement the four-method CacheAdapter.
  const map = new Map<string, number>();
  const adapter: CacheAdapter<string, number> = {
    get: (key) => map.get(key),
    set: (key, value) => map.set(key, value),
    delete: (key) => map.delete(key),
    entries: () => map.size,
  };
  const counters = instrumentCache(adapter, { name: 'counters', registry });
  await counters.set('visits', product.price);

  // PostgreSQL: statement durations, pool connection counts, spans unless instrumentation-pg already makes them.
  const pool = new pg.Pool({ host: '127.0.0.1', database: 'test', max: 10 });
  const poolMetrics = instrumentPgPool(pool, { name: 'orders-db', registry });
  await pool.query('SELECT id FROM orders WHERE id = $1', [42]);

  inventoryMetrics.dispose();
  poolMetrics.dispose();
  paymentsMetrics.dispose();
  await pool.end();
  redis.disconnect();
}

/**
 * A hand-built SDK that enables `@opentelemetry/instrumentation-pg` itself:
 * the processors Sightline's telemetry setup would install, so pg query spans
 * are named `SELECT orders` and their `db.query.text` has no literals.
 */
export function handBuiltProvider(exporter: SpanExporter): TracerProvider {
  return new TracerProvider({
    spanProcessors: [new TenantSpanProcessor(), new PgSpanProcessor(), new BatchSpanProcessor({ exporter })],
  });
}
