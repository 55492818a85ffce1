/** One scripted sequence of cache calls, run against every kind of cache so their counts can be compared. */
import type { InstrumentedCache } from 'sightline/resilience';

/** What {@link runScriptedSequence} must produce on any cache that keeps what it is given. */
export const SCRIPTED_COUNTS = Object.freeze({
  hits: 3,
  misses: 3,
  loads: 1,
  deleted: 1,
  operations: Object.freeze<Record<string, number>>({ get: 6, set: 4, delete: 2, load: 1 }),
});

/**
 * a is loaded (miss, load, set), then found (hit); b is missed; b and c are
 * stored; a is read (hit, and becomes the most recent); d is stored (in an
 * LRU of max 3 this pushes out b); c is deleted, then missed; d is found
 * (hit); deleting an absent key removes nothing.
 */
export async function runScriptedSequence(cache: InstrumentedCache<string, string>): Promise<void> {
  await cache.getOrLoad('a', (key) => `value of ${key}`);
  await cache.getOrLoad('a', () => 'never loaded');
  await cache.get('b');
  await cache.set('b', 'B');
  await cache.set('c', 'C');
  await cache.get('a');
  await cache.set('d', 'D');
  await cache.delete('c');
  await cache.get('c');
  await cache.get('d');
  await cache.delete('absent');
}
