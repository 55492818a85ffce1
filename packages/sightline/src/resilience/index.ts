/**
 * `sightline/resilience`: metrics and span events for circuit breakers and
 * caches. The libraries they observe (opossum, cockatiel, lru-cache,
 * ioredis) are optional peer dependencies, recognised by shape.
 */
export { instrumentBreaker } from './instrument-breaker.ts';
export type { InstrumentBreakerOptions, InstrumentableBreaker } from './instrument-breaker.ts';
export {
  BREAKER_TRANSITION_EVENT,
  ATTR_BREAKER_NAME,
  ATTR_BREAKER_FROM,
  ATTR_BREAKER_TO,
} from './breaker-recorder.ts';
export type { BreakerState, BreakerCallResult } from './breaker-recorder.ts';
export type { OpossumBreakerLike } from './opossum-breaker.ts';
export type { CockatielBreakerLike } from './cockatiel-breaker.ts';
export type { InstrumentationHandle } from './instrumentation-handle.ts';
export { instrumentCache, ATTR_CACHE_NAME, ATTR_CACHE_OPERATION, ATTR_CACHE_RESULT } from './instrument-cache.ts';
export type {
  InstrumentCacheOptions,
  InstrumentedCache,
  InstrumentableCache,
  CacheOperation,
} from './instrument-cache.ts';
export type { CacheAdapter, EvictionReason } from './cache-adapter.ts';
export { lruEvictionHook } from './lru-cache-adapter.ts';
export type { LruEvictionHook, LruCacheLike, LruDisposeReason } from './lru-cache-adapter.ts';
export { redisCache } from './redis-cache.ts';
export type { RedisCacheOptions, RedisClientLike } from './redis-cache.ts';
