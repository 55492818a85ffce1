/**
 * Skipping events already processed. Every transport delivers at least
 * once, so a handler can see the same envelope id twice (a redelivery after
 * a crash, a lost ack). `idempotent(store, handler)` records each id's
 * progress in a store: a run first claims the id with a lease, marks it
 * completed when the handler succeeds, and releases it when the handler
 * fails. A completed id is skipped; an id whose lease is held elsewhere is
 * retried later (`EventInProgressError`); a lease left by a crashed process
 * expires after `leaseMs`.
 *
 * This makes processing exactly once in effect when the handler's effect
 * and the completion mark cannot be separated by a crash: a crash after the
 * effect but before `complete` runs the handler again. Where that matters,
 * keep the effect itself idempotent (an upsert keyed by the event id).
 */
import { EventInProgressError, InvalidEventOptionError } from '../errors.ts';
import type { EventHandler } from './dispatcher.ts';

/** The state of an event id after {@link IdempotencyStore.claim}. */
export type ClaimResult = 'acquired' | 'completed' | 'in_progress';

/** Where processed ids are kept. Implement it over any store with an atomic set-if-absent. */
export interface IdempotencyStore {
  /** Takes `key` for `leaseMs` if nobody holds it and it is not completed. Must be atomic. */
  claim(key: string, leaseMs: number): Promise<ClaimResult>;
  /** Marks `key` completed, remembered for `ttlMs`. */
  complete(key: string, ttlMs: number): Promise<void>;
  /** Gives up a claim so a retry can take it at once. */
  release(key: string): Promise<void>;
}

/** Options of {@link idempotent}. */
export interface IdempotencyOptions {
  /** How long a claim holds before another run may take it. Longer than the slowest handler run. Default 60 000 ms. */
  readonly leaseMs?: number;
  /** How long a completed id is remembered. Longer than redeliveries can happen. Default 24 h. */
  readonly ttlMs?: number;
  /** Namespaces keys, so two handlers of one event keep separate records. Default: none (the id alone). */
  readonly keyPrefix?: string;
}

function positiveMs(option: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new InvalidEventOptionError(option, `Expected \`${option}\` to be a positive number of milliseconds, got ${value}.`);
  }
  return value;
}

/** Wraps `handler` so each envelope id is processed once in effect (see the module notes). */
export function idempotent<Type extends string, Data>(
  store: IdempotencyStore,
  handler: EventHandler<Type, Data>,
  options: IdempotencyOptions = {},
): EventHandler<Type, Data> {
  const leaseMs = positiveMs('leaseMs', options.leaseMs ?? 60_000);
  const ttlMs = positiveMs('ttlMs', options.ttlMs ?? 86_400_000);
  const prefix = options.keyPrefix ?? '';
  return async (event, context) => {
    const key = `${prefix}${event.id}`;
    const claim = await store.claim(key, leaseMs);
    if (claim === 'completed') return;
    if (claim === 'in_progress') throw new EventInProgressError(event.id);
    try {
      await handler(event, context);
    } catch (error) {
      await store.release(key);
      throw error;
    }
    await store.complete(key, ttlMs);
  };
}

/** Options of {@link memoryIdempotencyStore}. */
export interface MemoryIdempotencyStoreOptions {
  /** Ids remembered at most; the oldest completed ones are forgotten first. Default 10 000. */
  readonly maxEntries?: number;
}

/**
 * An in-process store, bounded by `maxEntries`. Only correct for one
 * process: with several consumers of a group, use a shared store such as
 * {@link redisIdempotencyStore}.
 */
export function memoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): IdempotencyStore {
  const maxEntries = options.maxEntries ?? 10_000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new InvalidEventOptionError('maxEntries', `Expected \`maxEntries\` to be a positive integer, got ${maxEntries}.`);
  }
  const entries = new Map<string, { state: 'in_progress' | 'completed'; expires: number }>();
  const evict = (): void => {
    const now = Date.now();
    for (const [key, entry] of entries) {
      if (entries.size <= maxEntries && entry.expires > now) break;
      entries.delete(key);
    }
  };
  return {
    claim(key, leaseMs) {
      const entry = entries.get(key);
      if (entry !== undefined && entry.expires > Date.now()) return Promise.resolve(entry.state);
      entries.delete(key);
      entries.set(key, { state: 'in_progress', expires: Date.now() + leaseMs });
      evict();
      return Promise.resolve('acquired');
    },
    complete(key, ttlMs) {
      entries.delete(key);
      entries.set(key, { state: 'completed', expires: Date.now() + ttlMs });
      evict();
      return Promise.resolve();
    },
    release(key) {
      entries.delete(key);
      return Promise.resolve();
    },
  };
}

/** The few commands of a Redis client (ioredis or compatible) the Redis store uses. */
export interface RedisLikeClient {
  set(key: string, value: string, px: 'PX', milliseconds: number, nx: 'NX'): Promise<string | null>;
  set(key: string, value: string, px: 'PX', milliseconds: number): Promise<string | null>;
  get(key: string): Promise<string | null>;
  del(key: string): Promise<number>;
}

/** Options of {@link redisIdempotencyStore}. */
export interface RedisIdempotencyStoreOptions {
  /** Prefix of every key. Default `sightline:idempotency:`. */
  readonly prefix?: string;
}

/**
 * A store in Redis, shared by every process of a group: `SET key NX PX` takes
 * the lease atomically, `SET key done PX ttl` completes, `DEL` releases.
 * Takes an existing client (e.g. `new Redis()` from ioredis); the caller owns it.
 */
export function redisIdempotencyStore(client: RedisLikeClient, options: RedisIdempotencyStoreOptions = {}): IdempotencyStore {
  const prefix = options.prefix ?? 'sightline:idempotency:';
  return {
    async claim(key, leaseMs) {
      const taken = await client.set(`${prefix}${key}`, 'in_progress', 'PX', Math.ceil(leaseMs), 'NX');
      if (taken === 'OK') return 'acquired';
      const state = await client.get(`${prefix}${key}`);
      if (state === 'completed') return 'completed';
      // The lease expired between SET and GET: try once more.
      if (state === null) return (await client.set(`${prefix}${key}`, 'in_progress', 'PX', Math.ceil(leaseMs), 'NX')) === 'OK' ? 'acquired' : 'in_progress';
      return 'in_progress';
    },
    async complete(key, ttlMs) {
      await client.set(`${prefix}${key}`, 'completed', 'PX', Math.ceil(ttlMs));
    },
    async release(key) {
      await client.del(`${prefix}${key}`);
    },
  };
}
