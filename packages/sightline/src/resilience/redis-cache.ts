/** A cache over an ioredis client, as a {@link CacheAdapter}. */
import { InvalidInstrumentationOptionError } from '../errors.ts';
import type { CacheAdapter } from './cache-adapter.ts';

/** The part of an ioredis client (`Redis` or `Cluster`) this module relies on. */
export interface RedisClientLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  set(key: string, value: string, secondsToken: 'EX', seconds: number): Promise<unknown>;
  del(key: string): Promise<number>;
  scan(cursor: string, patternToken: 'MATCH', pattern: string, countToken: 'COUNT', count: number): Promise<[string, string[]]>;
}

/** Options of {@link redisCache}. */
export interface RedisCacheOptions<V> {
  /** Prepended to every key, e.g. `products:`. Required: it keeps this cache's keys apart from everything else in Redis. */
  readonly prefix: string;
  /** Expiry of stored values in seconds; default none. */
  readonly ttlSeconds?: number;
  /** Value to string; default `JSON.stringify`. */
  readonly serialize?: (value: V) => string;
  /** String to value; default `JSON.parse`. */
  readonly deserialize?: (text: string) => V;
  /**
   * Count the keys under `prefix` (with `SCAN`) for `sightline_cache_entries`
   * at each scrape. Costs a walk of the whole keyspace per scrape, so it is
   * off by default; turn it on for small or dedicated Redis databases.
   */
  readonly countEntries?: boolean;
}

/**
 * A cache of `V` values in Redis under string keys. Deletes are counted as
 * `deleted` evictions; expiry and `maxmemory` evictions happen inside Redis
 * and are not counted here (Redis's `INFO stats` has `expired_keys` and
 * `evicted_keys` for the whole server).
 */
export function redisCache<V>(redis: RedisClientLike, options: RedisCacheOptions<V>): CacheAdapter<string, V> {
  const { prefix } = options;
  if (typeof prefix !== 'string' || prefix === '') {
    throw new InvalidInstrumentationOptionError('prefix', prefix, 'a non-empty key prefix such as "products:"');
  }
  const ttl = options.ttlSeconds;
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0)) {
    throw new InvalidInstrumentationOptionError('ttlSeconds', ttl, 'a positive whole number of seconds');
  }
  const serialize = options.serialize ?? ((value: V) => JSON.stringify(value));
  const deserialize = options.deserialize ?? ((text: string) => JSON.parse(text) as V);
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  const adapter: CacheAdapter<string, V> = {
    async get(key) {
      const text = await redis.get(prefix + key);
      return text === null ? undefined : deserialize(text);
    },
    async set(key, value) {
      if (ttl === undefined) await redis.set(prefix + key, serialize(value));
      else await redis.set(prefix + key, serialize(value), 'EX', ttl);
    },
    async delete(key) {
      return (await redis.del(prefix + key)) > 0;
    },
    remote: true,
    system: 'redis',
  };
  if (options.countEntries !== true) return adapter;
  return {
    ...adapter,
    async entries() {
      let cursor = '0';
      let count = 0;
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        count += keys.length;
      } while (cursor !== '0');
      return count;
    },
  };
}
