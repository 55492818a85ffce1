import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LRUCache } from 'lru-cache';
import { LRUCache as LRUCache10 } from 'lru-cache10';
import { instrumentCache, lruEvictionHook } from 'sightline/resilience';
import type { CacheAdapter } from 'sightline/resilience';
import { createMetricsRegistry } from '../src/metrics/registry.ts';
import { UnsupportedInstrumentationTargetError } from '../src/errors.ts';
import { promtoolCheckMetrics, sampleValue, samplesOf } from './support/prometheus-text.ts';
import { runScriptedSequence, SCRIPTED_COUNTS } from './support/cache-script.ts';
import { until } from './support/poll.ts';

// lru-cache 11, and 10 installed beside it (the peer range is `^10 || ^11`).
const LRU_MAJORS = [
  ['lru-cache 11', LRUCache],
  ['lru-cache 10', LRUCache10],
] as const;

for (const [name, LRU] of LRU_MAJORS) {
  describe(`instrumentCache with ${name}`, () => {
    it('counts hits, misses, loads and evictions by reason exactly for a scripted sequence', async () => {
      const registry = createMetricsRegistry();
      const evictions = lruEvictionHook();
      const lru = new LRU<string, string>({ max: 3, disposeAfter: evictions.disposeAfter });
      const cache = instrumentCache(lru, { name: 'products', registry, evictions });

      await runScriptedSequence(cache);
      let text = await registry.render('prometheus');
      const count = (name: string, labels: Record<string, string>) => sampleValue(text, name, { cache: 'products', ...labels });
      assert.equal(count('sightline_cache_requests_total', { result: 'hit' }), SCRIPTED_COUNTS.hits);
      assert.equal(count('sightline_cache_requests_total', { result: 'miss' }), SCRIPTED_COUNTS.misses);
      assert.equal(count('sightline_cache_loads_total', { result: 'success' }), SCRIPTED_COUNTS.loads);
      assert.equal(count('sightline_cache_evictions_total', { reason: 'deleted' }), SCRIPTED_COUNTS.deleted);
      // max 3: storing the fourth key pushed out the least recently used one.
      assert.equal(count('sightline_cache_evictions_total', { reason: 'capacity' }), 1);
      assert.equal(count('sightline_cache_entries', {}), lru.size);
      assert.equal(lru.size, 2);
      for (const operation of ['get', 'set', 'delete', 'load']) {
        assert.equal(count('sightline_cache_operation_duration_seconds_count', { operation }), SCRIPTED_COUNTS.operations[operation]);
      }

      // Expiry: an entry past its ttl is dropped by the next get, a miss and an `expired` eviction.
      lru.set('short-lived', 'x', { ttl: 1 });
      await until(() => lru.getRemainingTTL('short-lived') <= 0, 'the entry to expire', 1_000);
      assert.equal(await cache.get('short-lived'), undefined);
      text = await registry.render('prometheus');
      assert.equal(count('sightline_cache_evictions_total', { reason: 'expired' }), 1);
      assert.equal(count('sightline_cache_requests_total', { result: 'miss' }), SCRIPTED_COUNTS.misses + 1);
      // A replaced value is not an eviction.
      await cache.set('d', 'd2');
      text = await registry.render('prometheus');
      assert.equal(samplesOf(text, 'sightline_cache_evictions_total', { cache: 'products' }).reduce((sum, s) => sum + s.value, 0), 3);
      await promtoolCheckMetrics(text);

      cache.dispose();
      text = await registry.render('prometheus');
      assert.equal(sampleValue(text, 'sightline_cache_entries', { cache: 'products' }), undefined);
      lru.clear();
      text = await registry.render('prometheus');
      assert.equal(count('sightline_cache_evictions_total', { reason: 'deleted' }), SCRIPTED_COUNTS.deleted);
    });

    it('coalesces concurrent loads of one key and does not cache a failed load', async () => {
      const registry = createMetricsRegistry();
      const cache = instrumentCache(new LRU<string, number>({ max: 10 }), { name: 'prices', registry });
      let release: (value: number) => void = () => undefined;
      let loads = 0;
      const loader = () => {
        loads += 1;
        return new Promise<number>((resolve) => {
          release = resolve;
        });
      };
      const waiting = [cache.getOrLoad('sku-1', loader), cache.getOrLoad('sku-1', loader), cache.getOrLoad('sku-1', loader)];
      await until(() => loads === 1, 'the load to start', 1_000);
      release(42);
      assert.deepEqual(await Promise.all(waiting), [42, 42, 42]);
      assert.equal(loads, 1);
      assert.equal(await cache.getOrLoad('sku-1', loader), 42);

      await assert.rejects(cache.getOrLoad('sku-2', () => Promise.reject(new Error('pricing down'))), /pricing down/);
      assert.equal(await cache.get('sku-2'), undefined);

      const text = await registry.render('prometheus');
      assert.equal(sampleValue(text, 'sightline_cache_requests_total', { cache: 'prices', result: 'miss' }), 5);
      assert.equal(sampleValue(text, 'sightline_cache_requests_total', { cache: 'prices', result: 'hit' }), 1);
      assert.equal(sampleValue(text, 'sightline_cache_loads_total', { cache: 'prices', result: 'success' }), 1);
      assert.equal(sampleValue(text, 'sightline_cache_loads_total', { cache: 'prices', result: 'failure' }), 1);
      assert.equal(sampleValue(text, 'sightline_cache_operation_duration_seconds_count', { cache: 'prices', operation: 'load' }), 2);
    });
  });
}

describe('instrumentCache with any cache', () => {
  it('measures any cache through the CacheAdapter interface', async () => {
    const registry = createMetricsRegistry();
    const map = new Map<string, string>();
    const adapter: CacheAdapter<string, string> = {
      get: (key) => map.get(key),
      set: (key, value) => map.set(key, value),
      delete: (key) => map.delete(key),
      entries: () => map.size,
    };
    const cache = instrumentCache(adapter, { name: 'sessions', registry });
    await runScriptedSequence(cache);
    const text = await registry.render('prometheus');
    assert.equal(sampleValue(text, 'sightline_cache_requests_total', { cache: 'sessions', result: 'hit' }), SCRIPTED_COUNTS.hits);
    assert.equal(sampleValue(text, 'sightline_cache_requests_total', { cache: 'sessions', result: 'miss' }), SCRIPTED_COUNTS.misses);
    assert.equal(sampleValue(text, 'sightline_cache_evictions_total', { cache: 'sessions', reason: 'deleted' }), SCRIPTED_COUNTS.deleted);
    assert.equal(sampleValue(text, 'sightline_cache_entries', { cache: 'sessions' }), map.size);
    assert.throws(() => instrumentCache({ fetch: () => 1 } as never, { name: 'x', registry }), UnsupportedInstrumentationTargetError);
  });
});
