import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, it, mock } from 'node:test';
import CircuitBreaker from 'opossum';
import { LRUCache } from 'lru-cache';
import { counter } from 'sightline';
import { createMetricsRegistry, defaultMetricsRegistry } from 'sightline/metrics';
import { startTelemetry } from 'sightline/sdk';
import { createEventBus } from 'sightline/events';
import { sightlineHttp } from 'sightline/http';
import { instrumentBreaker, instrumentCache } from 'sightline/resilience';
import { UNSERVED_WARNING_CODE, UNSERVED_WARNING_DELAY_MILLIS } from '../src/metrics/unserved-warning.ts';
import { baseUrlOf, closeServer } from './support/http-server-harness.ts';
import { scrape } from './support/metrics-harness.ts';
import { sampleValue } from './support/prometheus-text.ts';

const NO_INSTRUMENTATIONS = { http: false, undici: false, pg: false, ioredis: false, express: false } as const;

interface Events extends Record<string, unknown> {
  'job.done': { id: number };
}

/** Instruments a breaker, a cache, a bus and an HTTP app, all without `registry`, and uses each once under `name`. */
async function recordEverythingAs(name: string): Promise<() => Promise<void>> {
  const breaker = new CircuitBreaker(() => Promise.resolve('ok'));
  instrumentBreaker(breaker, { name });
  await breaker.fire();
  const cache = instrumentCache(new LRUCache<string, string>({ max: 10 }), { name });
  await cache.get('absent');
  const bus = createEventBus<Events>({ source: name });
  const handled = new Promise<void>((resolve) => bus.subscribe('job.done', () => resolve(), { group: name }));
  await bus.publish('job.done', { id: 1 });
  await handled;
  const server = createServer(sightlineHttp((_request, response) => response.end('ok'), { route: () => `/${name}` }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  await (await fetch(`${baseUrlOf(server)}/${name}`)).text();
  return async () => {
    breaker.shutdown();
    await bus.close();
    await closeServer(server);
  };
}

function assertRecordedAs(exposition: string, name: string): void {
  assert.equal(sampleValue(exposition, 'sightline_circuit_breaker_calls_total', { breaker: name, result: 'success' }), 1, `${name}: breaker`);
  assert.equal(sampleValue(exposition, 'sightline_cache_requests_total', { cache: name, result: 'miss' }), 1, `${name}: cache`);
  assert.equal(
    sampleValue(exposition, 'messaging_client_consumed_messages_total', { messaging_consumer_group_name: name, outcome: 'success' }),
    1,
    `${name}: bus`,
  );
  assert.equal(sampleValue(exposition, 'http_server_request_duration_seconds_count', { http_route: `/${name}` }), 1, `${name}: middleware`);
}

describe('instrumentation without a registry', () => {
  it('records into the served registry whether it was set up before or after startTelemetry, with its tenant policy', async (t) => {
    const stopBefore = await recordEverythingAs('before');
    t.after(stopBefore);
    const telemetry = await startTelemetry({
      serviceName: 'default-registry-test',
      traces: { exporter: 'none' },
      instrumentations: NO_INSTRUMENTATIONS,
      metrics: { exporter: 'prometheus', host: '127.0.0.1', port: 0 },
    });
    t.after(() => telemetry.shutdown());
    assert.equal(telemetry.metrics, defaultMetricsRegistry(), 'telemetry serves the default registry');
    const stopAfter = await recordEverythingAs('after');
    t.after(stopAfter);

    assert.ok(telemetry.metricsUrl !== undefined);
    const served = await scrape(telemetry.metricsUrl);
    assertRecordedAs(served.body, 'before');
    assertRecordedAs(served.body, 'after');
  });

  it('the bus takes the tenant-label policy of the registry (SIGHTLINE_METRICS_TENANT_LABELS reaches messaging metrics)', async (t) => {
    process.env['SIGHTLINE_METRICS_TENANT_LABELS'] = 'allow:acme';
    const telemetry = await startTelemetry({
      serviceName: 'bus-tenant-policy-test',
      traces: { exporter: 'none' },
      instrumentations: NO_INSTRUMENTATIONS,
    }).finally(() => delete process.env['SIGHTLINE_METRICS_TENANT_LABELS']);
    t.after(() => telemetry.shutdown());
    const bus = createEventBus<Events>({ source: 'tenant-policy' });
    t.after(() => bus.close());
    await bus.publish('job.done', { id: 1 }, { tenantId: 'acme' });
    await bus.publish('job.done', { id: 2 }, { tenantId: 'globex' });
    const text = await defaultMetricsRegistry().render('prometheus');
    const sent = (tenant: string) =>
      sampleValue(text, 'messaging_client_sent_messages_total', { messaging_destination_name: 'job.done', tenant_id: tenant });
    assert.equal(sent('acme'), 1);
    assert.equal(sent('other'), 1);
  });

  it('starts the runtime monitors once per process, however many registries and buses there are', async () => {
    const perfHooks = createRequire(import.meta.url)('node:perf_hooks') as { monitorEventLoopDelay: typeof monitorEventLoopDelay };
    defaultMetricsRegistry();
    const monitor = mock.method(perfHooks, 'monitorEventLoopDelay');
    try {
      createMetricsRegistry();
      createMetricsRegistry();
      const buses = [createEventBus({ source: 'a' }), createEventBus({ source: 'b' })];
      await Promise.all(buses.map((bus) => bus.close()));
      assert.equal(monitor.mock.callCount(), 0, 'the default registry started the only monitor');
    } finally {
      monitor.mock.restore();
    }
  });
});

describe('a registry nobody reads', () => {
  it('warns once, after a while, when it records but is never served; a served one stays quiet', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const warnings: string[] = [];
    const emit = mock.method(process, 'emitWarning', (message: string, options: { code?: string }) => {
      if (options.code === UNSERVED_WARNING_CODE) warnings.push(message);
    });
    try {
      const served = createMetricsRegistry({ defaultMetrics: false });
      served.markRead();
      served.counter(counterDefinition).inc({});
      const forgotten = createMetricsRegistry({ defaultMetrics: false });
      forgotten.counter(counterDefinition).inc({});
      createMetricsRegistry({ defaultMetrics: false }).counter(counterDefinition).inc({});
      mock.timers.tick(UNSERVED_WARNING_DELAY_MILLIS - 1);
      assert.deepEqual(warnings, []);
      mock.timers.tick(1);
      assert.equal(warnings.length, 1, 'once per process');
      assert.match(warnings[0] ?? '', /app_jobs_total are recorded into a registry that nothing serves or pushes/);
    } finally {
      emit.mock.restore();
      mock.timers.reset();
    }
  });
});

const counterDefinition = counter({ name: 'app_jobs_total', help: 'Jobs.', unit: 'jobs', labelNames: [] });
