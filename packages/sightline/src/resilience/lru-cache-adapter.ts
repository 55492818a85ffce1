/** Measuring an lru-cache `LRUCache` without changing it. */
import type { CacheAdapter, EvictionReason } from './cache-adapter.ts';

/** The part of lru-cache's `LRUCache` this module relies on. */
export interface LruCacheLike<K, V> {
  get(key: K): V | undefined;
  /** `NoInfer`: lru-cache's `set` also takes `undefined`, which must not widen `V`. */
  set(key: K, value: NoInfer<V>): unknown;
  delete(key: K): boolean;
  readonly size: number;
  purgeStale(): boolean;
}

/** True when `value` has the shape of an lru-cache `LRUCache`. */
export function isLruCache(value: unknown): value is LruCacheLike<unknown, unknown> {
  const candidate = value as Partial<Record<keyof LruCacheLike<unknown, unknown>, unknown>> | null;
  return (
    typeof value === 'object' &&
    candidate !== null &&
    typeof candidate.get === 'function' &&
    typeof candidate.set === 'function' &&
    typeof candidate.delete === 'function' &&
    typeof candidate.purgeStale === 'function' &&
    typeof candidate.size === 'number'
  );
}

/** lru-cache's `DisposeReason`. */
export type LruDisposeReason = 'evict' | 'set' | 'delete' | 'expire' | 'fetch';

/**
 * Counts why entries leave an `LRUCache`. lru-cache reports removals only
 * to the `dispose`/`disposeAfter` callbacks given to its constructor, so the
 * hook must be created first and passed in:
 *
 * ```ts
 * const evictions = lruEvictionHook();
 * const lru = new LRUCache<string, Product>({ max: 10_000, disposeAfter: evictions.disposeAfter });
 * const products = instrumentCache(lru, { name: 'products', registry, evictions });
 * ```
 *
 * A cache with its own `disposeAfter` calls `evictions.disposeAfter(value,
 * key, reason)` from it. Reasons map to `capacity` (`evict`), `expired`
 * (`expire`) and `deleted` (`delete`, and `fetch` when a failed fetch drops
 * the entry); `set` (a value replaced under the same key) is not an eviction.
 */
export interface LruEvictionHook {
  readonly disposeAfter: (value: unknown, key: unknown, reason: LruDisposeReason) => void;
  /** Used by `instrumentCache`; returns an unsubscribe function. */
  onEviction(listener: (reason: EvictionReason) => void): () => void;
}

const REASONS: Readonly<Record<LruDisposeReason, EvictionReason | undefined>> = {
  evict: 'capacity',
  expire: 'expired',
  delete: 'deleted',
  fetch: 'deleted',
  set: undefined,
};

/** Creates an {@link LruEvictionHook}. */
export function lruEvictionHook(): LruEvictionHook {
  const listeners = new Set<(reason: EvictionReason) => void>();
  return {
    disposeAfter: (_value, _key, reason) => {
      const mapped = REASONS[reason];
      if (mapped === undefined) return;
      for (const listener of listeners) listener(mapped);
    },
    onEviction(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

/** An adapter over `cache`; evictions are reported only through `evictions`, when given. */
export function lruCacheAdapter<K, V>(cache: LruCacheLike<K, V>, evictions: LruEvictionHook | undefined): CacheAdapter<K, V> {
  return {
    get: (key) => cache.get(key),
    set: (key, value) => cache.set(key, value),
    delete: (key) => cache.delete(key),
    entries: () => cache.size,
    ...(evictions !== undefined && { onEviction: (listener: (reason: EvictionReason) => void) => evictions.onEviction(listener) }),
    remote: false,
  };
}
