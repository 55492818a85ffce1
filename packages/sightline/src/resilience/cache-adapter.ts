/** The small interface `instrumentCache` measures any cache through. */

/** Why an entry left a cache: the `reason` label of `sightline_cache_evictions_total`. */
export type EvictionReason = 'capacity' | 'expired' | 'deleted';

/**
 * A cache `instrumentCache` can measure. Implement it to instrument a cache
 * Sightline does not know (a Map, Memcached, a cache service); lru-cache
 * and {@link redisCache} caches are recognised or built for you.
 *
 * Any method may return a value or a promise of it.
 */
export interface CacheAdapter<K, V> {
  /** The cached value, or `undefined` on a miss. */
  get(key: K): V | undefined | Promise<V | undefined>;
  /** Stores `value` (expiry, if any, is the adapter's business). */
  set(key: K, value: V): unknown;
  /** Removes `key`; returns whether an entry was there (counted as a `deleted` eviction unless {@link onEviction} reports it). */
  delete(key: K): boolean | Promise<boolean>;
  /** The number of entries, read when metrics are scraped; omit when counting is not possible or too costly. */
  entries?(): number | Promise<number>;
  /**
   * Subscribes to removals the cache decides on (capacity, expiry) and to
   * explicit deletes; returns an unsubscribe function. When present, it is
   * the only source of eviction counts.
   */
  onEviction?(listener: (reason: EvictionReason) => void): () => void;
  /** True for a cache over the network (CLIENT spans are then on by default). */
  readonly remote?: boolean;
  /** `db.system.name` for spans of a remote cache, e.g. `redis`. */
  readonly system?: string;
}
