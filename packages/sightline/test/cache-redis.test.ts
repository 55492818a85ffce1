import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import { Redis } from 'ioredis';
import { Redis as Redis5 } from 'ioredis5';
import { instrumentCache, redisCache } from 'sightline/resilience';
import { createMetricsRegistry } from '../src/metrics/registry.ts';
import { InvalidInstrumentationOptionError } from '../src/errors.ts';
import { promtoolCheckMetrics, sampleValue } from './support/prometheus-text.ts';
import { runScriptedSequence, SCRIPTED_COUNTS } from './support/cache-script.ts';
import { startTracingHarness } from './support/tracing-harness.ts';

const harness = startTracingHarness();
after(() => harness.close());

// ioredis 6, and ioredis 5 installed beside it as `ioredis5` (the peer range is `^5 || ^6`).
const CLIENTS = [
  ['ioredis 6', new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 })],
  ['ioredis 5', new Redis5({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 })],
] as const;

for (const [name, redis] of CLIENTS) {
  describe(`instrumentCache with a Redis cache over ${name}`, () => {
    const prefix = `sightline-test:${randomUUID()}:`;
    after(async () => {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    });

    it('counts the scripted sequence exactly as the in-process caches do, with CLIENT spans by default', async () => {
      harness.exporter.reset();
      await redis.connect();
      const registry = createMetricsRegistry();
      const cache = instrumentCache(redisCache<string>(redis, { prefix, ttlSeconds: 300, countEntries: true }), {
        name: 'sessions',
        registry,
      });
      await runScriptedSequence(cache);

      const text = await registry.render('prometheus');
      const count = (name: string, labels: Record<string, string>) => sampleValue(text, name, { cache: 'sessions', ...labels });
      assert.equal(count('sightline_cache_requests_total', { result: 'hit' }), SCRIPTED_COUNTS.hits);
      assert.equal(count('sightline_cache_requests_total', { result: 'miss' }), SCRIPTED_COUNTS.misses);
      assert.equal(count('sightline_cache_loads_total', { result: 'success' }), SCRIPTED_COUNTS.loads);
      assert.equal(count('sightline_cache_evictions_total', { reason: 'deleted' }), SCRIPTED_COUNTS.deleted);
      // Redis has no per-cache capacity: a, b and d are all still there, and nothing else is under the prefix.
      assert.equal(count('sightline_cache_evictions_total', { reason: 'capacity' }), undefined);
      assert.equal(count('sightline_cache_entries', {}), 3);
      assert.deepEqual((await redis.keys(`${prefix}*`)).sort(), [`${prefix}a`, `${prefix}b`, `${prefix}d`]);
      assert.ok((await redis.ttl(`${prefix}a`)) > 0, 'values are stored with the configured expiry');
      for (const operation of ['get', 'set', 'delete', 'load']) {
        assert.equal(count('sightline_cache_operation_duration_seconds_count', { operation }), SCRIPTED_COUNTS.operations[operation]);
      }
      await promtoolCheckMetrics(text);

      const gets = harness.spans().filter((span) => span.name === 'get sessions');
      assert.equal(gets.length, SCRIPTED_COUNTS.operations.get);
      assert.ok(gets.every((span) => span.kind === SpanKind.CLIENT && span.attributes['db.system.name'] === 'redis'));
      assert.deepEqual(
        gets.map((span) => span.attributes['sightline.cache.result']),
        ['miss', 'hit', 'miss', 'hit', 'miss', 'hit'],
      );
      cache.dispose();
    });

    it('refuses a missing prefix and a bad ttl', () => {
      assert.throws(() => redisCache(redis, { prefix: '' }), InvalidInstrumentationOptionError);
      assert.throws(() => redisCache(redis, { prefix: 'p:', ttlSeconds: 0.5 }), InvalidInstrumentationOptionError);
    });
  });
}
