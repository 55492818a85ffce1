/**
 * Product lookups, cache-aside in front of PostgreSQL: an in-process LRU
 * cache (bounded, entries live 10 s) measured by `instrumentCache`, so hits,
 * misses, loads and evictions show up in /metrics. Unknown ids are cached too
 * (as "no such product"), so a client asking for them again does not reach
 * the database.
 */
import { LRUCache } from 'lru-cache';
import type { MetricsRegistry } from 'sightline';
import { instrumentCache, lruEvictionHook } from 'sightline/resilience';
import type { Product, ShopDatabase } from './database.ts';

/** What the cache holds for an id: the product, or the fact that there is none. */
interface CatalogueEntry {
  readonly product: Product | undefined;
}

export interface Catalogue extends Disposable {
  find(id: string): Promise<Product | undefined>;
}

export function createCatalogue(database: ShopDatabase, registry: MetricsRegistry): Catalogue {
  const evictions = lruEvictionHook();
  const lru = new LRUCache<string, CatalogueEntry>({ max: 25, ttl: 10_000, disposeAfter: evictions.disposeAfter });
  const cache = instrumentCache(lru, { name: 'products', registry, evictions });
  return {
    async find(id) {
      const entry = await cache.getOrLoad(id, async () => ({ product: await database.findProduct(id) }));
      return entry.product;
    },
    [Symbol.dispose]: () => cache.dispose(),
  };
}
