/**
 * Product lookups, cache-aside in front of PostgreSQL: an in-process LRU
 * cache (bounded, entries live 10 s) so hot products are served without a
 * query. Unknown ids are cached too (as "no such product"), so a client
 * asking for them again does not reach the database.
 */
import { LRUCache } from 'lru-cache';
import type { MetricsRegistry } from 'sightline';
import type { Product, ShopDatabase } from './database.ts';

/** What the cache holds for an id: the product, or the fact that there is none. */
interface CatalogueEntry {
  readonly product: Product | undefined;
}

export interface Catalogue {
  find(id: string): Promise<Product | undefined>;
}

export function createCatalogue(database: ShopDatabase, _registry: MetricsRegistry): Catalogue {
  const cache = new LRUCache<string, CatalogueEntry>({ max: 25, ttl: 10_000 });
  return {
    async find(id) {
      const cached = cache.get(id);
      if (cached !== undefined) return cached.product;
      const entry = { product: await database.findProduct(id) };
      cache.set(id, entry);
      return entry.product;
    },
  };
}
