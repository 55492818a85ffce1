import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import CircuitBreaker from 'opossum';
import { circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';
import { LRUCache } from 'lru-cache';
import { Redis } from 'ioredis';
import pg from 'pg';
import { instrumentBreaker, instrumentCache, lruEvictionHook, redisCache } from 'sightline/resilience';
import { instrumentPgPool } from 'sightline/pg';
import { createMetricsRegistry } from '../src/metrics/registry.ts';
import { promtoolCheckMetrics, samplesOf } from './support/prometheus-text.ts';
import { runScriptedSequence } from './support/cache-script.ts';

it('the combined output of breakers, caches and a PostgreSQL pool passes promtool check metrics', async (t) => {
  const registry = createMetricsRegistry();

  const opossum = new CircuitBreaker((fail: boolean) => (fail ? Promise.reject(new Error('down')) : Promise.resolve('ok')), {
    volumeThreshold: 1,
    errorThresholdPercentage: 10,
    resetTimeout: 60_000,
  });
  t.after(() => opossum.shutdown());
  instrumentBreaker(opossum, { name: 'payments', registry });
  await opossum.fire(false);
  await assert.rejects(opossum.fire(true));
  await assert.rejects(opossum.fire(false), /Breaker is open/);
  const cockatiel = circuitBreaker(handleAll, { halfOpenAfter: 60_000, breaker: new ConsecutiveBreaker(1) });
  instrumentBreaker(cockatiel, { name: 'inventory', registry });
  await assert.rejects(cockatiel.execute(() => Promise.reject(new Error('down'))));

  const evictions = lruEvictionHook();
  await runScriptedSequence(
    instrumentCache(new LRUCache<string, string>({ max: 3, disposeAfter: evictions.disposeAfter }), { name: 'products', registry, evictions }),
  );
  const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
  const prefix = `sightline-test:${randomUUID()}:`;
  t.after(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });
  await runScriptedSequence(instrumentCache(redisCache<string>(redis, { prefix, countEntries: true }), { name: 'sessions', registry, spans: false }));

  const pool = new pg.Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', max: 2 });
  t.after(() => pool.end());
  instrumentPgPool(pool, { name: 'orders-db', registry });
  await pool.query('SELECT 1');
  await assert.rejects(pool.query('SELECT * FROM sightline_no_such_table'));

  const text = await registry.render('prometheus');
  for (const name of [
    'sightline_circuit_breaker_state',
    'sightline_circuit_breaker_transitions_total',
    'sightline_circuit_breaker_calls_total',
    'sightline_cache_requests_total',
    'sightline_cache_operation_duration_seconds_count',
    'sightline_cache_entries',
    'sightline_cache_evictions_total',
    'sightline_cache_loads_total',
    'db_client_operation_duration_seconds_count',
    'db_client_connections_usage',
    'db_client_connection_pending_requests',
  ]) {
    assert.ok(samplesOf(text, name).length > 0, `${name} is in the output`);
  }
  await promtoolCheckMetrics(text);
});
