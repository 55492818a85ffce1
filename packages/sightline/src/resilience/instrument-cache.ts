/** `instrumentCache`: hit/miss, operation duration, entries, evictions and `getOrLoad` for any cache. */
import { SpanKind } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { ATTR_DB_SYSTEM_NAME } from '@opentelemetry/semantic-conventions';
import { UnsupportedInstrumentationTargetError } from '../errors.ts';
import { catalogue } from '../metrics/catalogue.ts';
import { defaultMetricsRegistry } from '../metrics/default-registry.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';
import { withSpan } from '../tracing/with-span.ts';
import type { CacheAdapter, EvictionReason } from './cache-adapter.ts';
import { instrumentationHandle } from './instrumentation-handle.ts';
import type { InstrumentationHandle } from './instrumentation-handle.ts';
import { validateInstrumentationName } from './instrumentation-name.ts';
import { isLruCache, lruCacheAdapter } from './lru-cache-adapter.ts';
import type { LruCacheLike, LruEvictionHook } from './lru-cache-adapter.ts';

/** Span attributes of cache operations. */
export const ATTR_CACHE_NAME = 'sightline.cache.name';
export const ATTR_CACHE_OPERATION = 'sightline.cache.operation';
export const ATTR_CACHE_RESULT = 'sightline.cache.result';

/** The `operation` label of `sightline_cache_operation_duration_seconds`. */
export type CacheOperation = 'get' | 'set' | 'delete' | 'load';

/** Options of {@link instrumentCache}. */
export interface InstrumentCacheOptions {
  /** The `cache` label: a short fixed name, e.g. `products`. */
  readonly name: string;
  /**
   * Where the metrics go. Default: the process's default registry, which
   * telemetry serves and pushes (`defaultMetricsRegistry()`).
   */
  readonly registry?: MetricsRegistry | undefined;
  /**
   * A span per operation (CLIENT for a remote cache, INTERNAL otherwise).
   * Default: on for remote caches (Redis), off for in-process ones, where a
   * span would cost more than the lookup.
   */
  readonly spans?: boolean;
  /** For an lru-cache: the hook passed as its `disposeAfter` (see {@link LruEvictionHook}); without it evictions other than explicit deletes are not counted. */
  readonly evictions?: LruEvictionHook;
}

/**
 * A measured cache. Calls made through it are counted; calls made on the
 * underlying cache directly are not. Every method returns a promise, for an
 * in-process cache too, so one interface serves every kind of cache.
 */
export interface InstrumentedCache<K, V> extends InstrumentationHandle {
  /** The cached value or `undefined`; counted as a hit or a miss. */
  get(key: K): Promise<V | undefined>;
  set(key: K, value: V): Promise<void>;
  /** Removes `key`; true when an entry was there. */
  delete(key: K): Promise<boolean>;
  /**
   * Cache-aside in one call: the cached value on a hit; on a miss runs
   * `loader`, records its duration (operation `load`) and result in
   * `sightline_cache_loads_total`, stores what it returns (unless
   * `undefined`) and returns it. Concurrent calls for one key share one
   * load (each is still counted as a miss). A failed load is not cached and
   * rejects every caller waiting on it.
   */
  getOrLoad(key: K, loader: (key: K) => V | Promise<V>): Promise<V>;
}

/** A cache {@link instrumentCache} accepts. */
export type InstrumentableCache<K, V> = CacheAdapter<K, V> | LruCacheLike<K, V>;

function isCacheAdapter(value: unknown): value is CacheAdapter<unknown, unknown> {
  const candidate = value as Partial<Record<keyof CacheAdapter<unknown, unknown>, unknown>> | null;
  return (
    typeof value === 'object' &&
    candidate !== null &&
    typeof candidate.get === 'function' &&
    typeof candidate.set === 'function' &&
    typeof candidate.delete === 'function'
  );
}

/**
 * Measures `cache`: `sightline_cache_requests_total{cache,result}` (hit,
 * miss), `sightline_cache_operation_duration_seconds{cache,operation}`,
 * `sightline_cache_entries{cache}` (read at scrape when the cache can tell),
 * `sightline_cache_evictions_total{cache,reason}` (capacity, expired,
 * deleted) and `sightline_cache_loads_total{cache,result}`.
 *
 * Accepts an lru-cache `LRUCache` (recognised by shape; pass `evictions`
 * to count capacity and expiry evictions), a {@link redisCache}, or any
 * {@link CacheAdapter}. Throws {@link UnsupportedInstrumentationTargetError}
 * for anything else. Disposing removes the scrape-time collector and
 * eviction subscription; the returned cache keeps working, unmeasured.
 */
export function instrumentCache<K, V>(cache: LruCacheLike<K, V>, options: InstrumentCacheOptions): InstrumentedCache<K, V>;
export function instrumentCache<K, V>(cache: CacheAdapter<K, V>, options: InstrumentCacheOptions): InstrumentedCache<K, V>;
export function instrumentCache<K, V>(cache: InstrumentableCache<K, V>, options: InstrumentCacheOptions): InstrumentedCache<K, V> {
  const name = validateInstrumentationName('name', options.name);
  let adapter: CacheAdapter<K, V>;
  if (isLruCache(cache)) adapter = lruCacheAdapter(cache, options.evictions);
  else if (isCacheAdapter(cache)) adapter = cache;
  else throw new UnsupportedInstrumentationTargetError('cache', "lru-cache's LRUCache, redisCache(), a CacheAdapter with get/set/delete");
  return new MeasuredCache(name, adapter, options);
}

class MeasuredCache<K, V> implements InstrumentedCache<K, V> {
  readonly #name: string;
  readonly #adapter: CacheAdapter<K, V>;
  readonly #spans: boolean;
  readonly #requests;
  readonly #duration;
  readonly #evictions;
  readonly #loads;
  readonly #inflight = new Map<K, Promise<V>>();
  readonly #handle: InstrumentationHandle;
  #active = true;

  constructor(name: string, adapter: CacheAdapter<K, V>, options: InstrumentCacheOptions) {
    this.#name = name;
    this.#adapter = adapter;
    this.#spans = options.spans ?? adapter.remote === true;
    const registry = options.registry ?? defaultMetricsRegistry();
    this.#requests = registry.counter(catalogue.cacheRequests);
    this.#duration = registry.histogram(catalogue.cacheOperationDuration);
    this.#evictions = registry.counter(catalogue.cacheEvictions);
    this.#loads = registry.counter(catalogue.cacheLoads);
    const cleanups: (() => void)[] = [
      () => {
        this.#active = false;
      },
    ];
    const countEntries = adapter.entries?.bind(adapter);
    if (countEntries !== undefined) {
      const entries = registry.gauge(catalogue.cacheEntries);
      const removeCollector = entries.addCollector(async (gauge) => {
        gauge.set({ cache: name }, await countEntries());
      });
      cleanups.push(removeCollector, () => entries.remove({ cache: name }));
    }
    if (adapter.onEviction !== undefined) cleanups.push(adapter.onEviction((reason) => this.#evicted(reason)));
    this.#handle = instrumentationHandle(cleanups);
  }

  get(key: K): Promise<V | undefined> {
    return this.#operation('get', async (span) => {
      const value = await this.#adapter.get(key);
      const result = value === undefined ? 'miss' : 'hit';
      if (this.#active) this.#requests.inc({ cache: this.#name, result });
      span?.setAttribute(ATTR_CACHE_RESULT, result);
      return value;
    });
  }

  set(key: K, value: V): Promise<void> {
    return this.#operation('set', async () => {
      await this.#adapter.set(key, value);
    });
  }

  delete(key: K): Promise<boolean> {
    return this.#operation('delete', async () => {
      const deleted = await this.#adapter.delete(key);
      if (deleted && this.#adapter.onEviction === undefined) this.#evicted('deleted');
      return deleted;
    });
  }

  async getOrLoad(key: K, loader: (key: K) => V | Promise<V>): Promise<V> {
    const joined = this.#inflight.get(key);
    if (joined !== undefined) {
      if (this.#active) this.#requests.inc({ cache: this.#name, result: 'miss' });
      return joined;
    }
    const cached = await this.get(key);
    if (cached !== undefined) return cached;
    const started = this.#inflight.get(key) ?? this.#load(key, loader);
    return started;
  }

  dispose(): void {
    this.#handle.dispose();
  }

  [Symbol.dispose](): void {
    this.#handle.dispose();
  }

  #load(key: K, loader: (key: K) => V | Promise<V>): Promise<V> {
    const load = this.#operation('load', async () => {
      try {
        const value = await loader(key);
        if (this.#active) this.#loads.inc({ cache: this.#name, result: 'success' });
        return value;
      } catch (error) {
        if (this.#active) this.#loads.inc({ cache: this.#name, result: 'failure' });
        throw error;
      }
    }).then(async (value) => {
      if (value !== undefined) await this.set(key, value);
      return value;
    });
    const tracked = load.finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, tracked);
    return tracked;
  }

  #evicted(reason: EvictionReason): void {
    if (this.#active) this.#evictions.inc({ cache: this.#name, reason });
  }

  /** Times `run` as `operation`, in a span when spans are on. */
  async #operation<T>(operation: CacheOperation, run: (span: Span | undefined) => Promise<T>): Promise<T> {
    const timed = async (span: Span | undefined): Promise<T> => {
      const start = performance.now();
      try {
        return await run(span);
      } finally {
        if (this.#active) this.#duration.observe({ cache: this.#name, operation }, (performance.now() - start) / 1000);
      }
    };
    if (!this.#spans) return timed(undefined);
    const remote = this.#adapter.remote === true;
    return withSpan(
      `${operation} ${this.#name}`,
      {
        kind: remote ? SpanKind.CLIENT : SpanKind.INTERNAL,
        attributes: {
          [ATTR_CACHE_NAME]: this.#name,
          [ATTR_CACHE_OPERATION]: operation,
          ...(this.#adapter.system !== undefined && { [ATTR_DB_SYSTEM_NAME]: this.#adapter.system }),
        },
      },
      timed,
    );
  }
}
