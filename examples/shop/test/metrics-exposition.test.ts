/**
 * The real /metrics of an app that uses every part of the metrics work: the
 * shop (HTTP middleware, span metrics, exemplars, a tenant-label policy,
 * default and self metrics, breaker, cache, pg pool, event bus) started as a
 * user starts it (`--import sightline/register`, OTEL_* variables, memory
 * transport), its spans exported to the in-process trace viewer, driven by
 * the load generator for a few seconds. The classic text it serves must pass
 * `promtool check metrics` with no findings and hold every metric the shop
 * exercises; the OpenMetrics it serves must end in `# EOF` and carry the
 * trace of a request as the exemplar of its duration. SIGTERM must end it
 * cleanly.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { startTraceViewer } from 'sightline-cli';
import { promtoolCheckMetrics, samplesOf } from '../../../packages/sightline/test/support/prometheus-text.ts';
import type { Sample } from '../../../packages/sightline/test/support/prometheus-text.ts';
import { startChild, waitForHealthy } from '../src/demo/child-process.ts';
import { runLoad } from '../src/load.ts';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const SETTLE_TIMEOUT_MS = 10_000;
const LOAD_SECONDS = 3;

/** The only values `http_route` may take: the API's and the payments server's route templates, and `unmatched`. */
const ROUTES = new Set(['/products/:id', '/orders', '/orders/:id', '/charge', 'unmatched']);
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

async function scrape(url: string, accept?: string): Promise<{ contentType: string; text: string }> {
  const response = await fetch(url, { headers: accept === undefined ? {} : { accept }, signal: AbortSignal.timeout(5000) });
  assert.equal(response.status, 200, `scrape of ${url} answers 200`);
  return { contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** Polls the classic text until `ready` holds for it (at most `timeoutMs`), then returns that text. */
async function scrapeWhen(url: string, what: string, ready: (text: string) => boolean, timeoutMs: number): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { text } = await scrape(url);
    if (ready(text)) return text;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what} in ${url}:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const total = (samples: readonly Sample[]): number => samples.reduce((sum, sample) => sum + sample.value, 0);

/** The exemplar label sets on the OpenMetrics lines of `metric` (`name{labels} value # {exemplar} value timestamp`). */
function exemplarsOf(openMetrics: string, metric: string): Record<string, string>[] {
  const exemplars: Record<string, string>[] = [];
  for (const line of openMetrics.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    const [, exemplar] = /\} \S+ # \{([^}]*)\} \S+/.exec(line) ?? [];
    if (exemplar === undefined) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of exemplar.matchAll(/([a-zA-Z_]\w*)="([^"]*)"/g)) if (key !== undefined) labels[key] = value ?? '';
    exemplars.push(labels);
  }
  return exemplars;
}

void it('the shop under load serves /metrics that promtool accepts, with every metric it exercises and exemplars', { timeout: 300_000 }, async (t) => {
  const exportedTraceIds = new Set<string>();
  const exemplarTraceIds: string[] = [];
  const viewer = await startTraceViewer({ port: 0 });
  viewer.ingest.listen({ onSpans: (spans) => spans.forEach((span) => exportedTraceIds.add(span.traceId)) });
  const shop = startChild('shop', 'main.ts', {
    OTEL_SERVICE_NAME: 'shop',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_ENDPOINT: viewer.url,
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_METRICS_EXPORTER: 'prometheus',
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: '0',
    SIGHTLINE_METRICS_TENANT_LABELS: 'allow:acme,globex',
    SHOP_PORT: '0',
    SHOP_DB_SCHEMA: `shop_metrics_${process.pid}_${Date.now().toString(36)}`,
    SHOP_NATS_URL: '',
  });
  t.after(async () => {
    // The shop first, so that it can still flush to the viewer when a step failed before the SIGTERM step.
    await shop.stop(STOP_TIMEOUT_MS);
    await viewer.close();
  });

  const [, shopUrl = '', metricsUrl = ''] = await shop.waitForLine(/^shop ready: (\S+) metrics: (\S+)/, START_TIMEOUT_MS);
  await waitForHealthy(`${shopUrl}/health`, START_TIMEOUT_MS);
  const load = await runLoad({ baseUrl: shopUrl, seconds: LOAD_SECONDS });
  assert.ok((load.byStatus.get('201') ?? 0) > 0, `some orders were placed: ${JSON.stringify([...load.byStatus])}`);

  // The consumers run after the publish and the spans leave in batches: wait for both to show.
  const text = await scrapeWhen(
    metricsUrl,
    'consumed events and exported spans',
    (body) =>
      total(samplesOf(body, 'messaging_client_consumed_messages_total', { outcome: 'success' })) > 0 &&
      total(samplesOf(body, 'sightline_telemetry_spans_total', { outcome: 'exported' })) > 0,
    SETTLE_TIMEOUT_MS,
  );

  await t.test('the classic text passes promtool check metrics with no findings', async () => {
    const classic = await scrape(metricsUrl);
    assert.match(classic.contentType, /^text\/plain; version=0\.0\.4/);
    assert.doesNotMatch(classic.text, / # \{/, 'the classic text carries no exemplars');
    await promtoolCheckMetrics(classic.text);
  });

  await t.test('the HTTP request durations are labelled by route template and allowed tenant only', () => {
    const counts = samplesOf(text, 'http_server_request_duration_seconds_count');
    assert.ok(counts.length > 0);
    const routes = new Set(counts.map((sample) => sample.labels['http_route'] ?? ''));
    assert.ok([...routes].every((route) => ROUTES.has(route)), `route templates only, got ${[...routes].join(', ')}`);
    for (const route of ['/products/:id', '/orders', 'unmatched']) assert.ok(routes.has(route), `requests on ${route}`);
    assert.doesNotMatch(text, /http_route="[^"]*(?:p-\d|\/admin\/|[0-9a-f]{8}-[0-9a-f]{4})/, 'no raw path in a label');
    const tenants = new Set(counts.map((sample) => sample.labels['tenant_id'] ?? ''));
    assert.deepEqual([...tenants].sort(), ['acme', 'globex', 'other'], 'the allow-list policy: initech is folded into other');
  });

  await t.test('every metric the shop exercises is there', () => {
    const present = (name: string, labels: Readonly<Record<string, string>> = {}): Sample[] => {
      const found = samplesOf(text, name, labels);
      assert.ok(found.length > 0, `${name}${JSON.stringify(labels)} is exposed`);
      return found;
    };
    assert.ok(total(present('sightline_span_duration_seconds_count', { span_name: 'orders.place', module: 'orders' })) > 0);
    present('sightline_span_duration_seconds_count', { span_kind: 'consumer' });
    const states = present('sightline_circuit_breaker_state', { breaker: 'payments' });
    assert.deepEqual(states.map((sample) => sample.labels['state']).sort(), ['closed', 'half_open', 'open']);
    assert.equal(states.filter((sample) => sample.value === 1).length, 1, 'exactly one breaker state is 1');
    assert.ok(total(present('sightline_circuit_breaker_calls_total', { breaker: 'payments', result: 'success' })) > 0);
    assert.ok(total(present('sightline_cache_requests_total', { cache: 'products', result: 'hit' })) > 0);
    assert.ok(total(present('sightline_cache_requests_total', { cache: 'products', result: 'miss' })) > 0);
    assert.ok(total(present('db_client_operation_duration_seconds_count', { db_system_name: 'postgresql' })) > 0);
    present('db_client_connections_usage', { db_client_connection_pool_name: 'shop-db', db_client_connection_state: 'idle' });
    present('db_client_connections_usage', { db_client_connection_pool_name: 'shop-db', db_client_connection_state: 'used' });
    assert.ok(total(present('messaging_client_sent_messages_total', { messaging_destination_name: 'order.created' })) > 0);
    for (const group of ['billing', 'shipping']) {
      assert.ok(total(present('messaging_client_consumed_messages_total', { messaging_consumer_group_name: group, outcome: 'success' })) > 0);
    }
    present('sightline_telemetry_spans_total', { outcome: 'dropped' });
    present('sightline_telemetry_spans_total', { outcome: 'failed' });
    present('process_cpu_seconds_total');
    present('nodejs_heap_size_used_bytes');
  });

  await t.test('OpenMetrics ends in # EOF and has the sampled server spans as exemplars of the request durations', async () => {
    const openMetrics = await scrape(metricsUrl, 'application/openmetrics-text');
    assert.match(openMetrics.contentType, /^application\/openmetrics-text; version=1\.0\.0/);
    assert.ok(openMetrics.text.endsWith('# EOF\n'), 'the exposition ends with # EOF');
    const exemplars = exemplarsOf(openMetrics.text, 'http_server_request_duration_seconds_bucket');
    assert.ok(exemplars.length > 0, 'request-duration buckets carry exemplars');
    for (const exemplar of exemplars) {
      assert.match(exemplar['trace_id'] ?? '', TRACE_ID);
      assert.match(exemplar['span_id'] ?? '', SPAN_ID);
      assert.notEqual(exemplar['trace_id'], '0'.repeat(32), 'a sampled, valid trace');
    }
    assert.ok(exemplars.some((exemplar) => ['acme', 'globex', 'initech'].includes(exemplar['tenant_id'] ?? '')), 'exemplars carry the tenant');
    exemplarTraceIds.push(...exemplars.map((exemplar) => exemplar['trace_id'] ?? ''));
  });

  await t.test('SIGTERM ends the shop cleanly, its spans flushed', async () => {
    const exit = await shop.stop(STOP_TIMEOUT_MS);
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.ok(
      exemplarTraceIds.some((traceId) => exportedTraceIds.has(traceId)),
      'an exemplar points to a trace the viewer received',
    );
  });
});
