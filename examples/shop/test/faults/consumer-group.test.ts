/**
 * Fault: scaling out. Three shops and three workers (each worker a member
 * of the `billing` and `shipping` consumer groups) on a NATS server of the
 * test's own, every process exporting its spans to one OTLP receiver and
 * scraped by one real Prometheus. Each accepted order is processed exactly
 * once per group (none lost, none twice), its trace runs from the shop that
 * accepted it into the worker that processed it, and the totals Prometheus
 * sums over the instances equal the orders accepted.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { startPrometheus } from '../../../../packages/cli/test/support/prometheus.ts';
import { startOwnNatsServer } from '../../../../packages/sightline-nats/test/support/own-nats-server.ts';
import { startHttpReceiver } from '../../../../packages/sightline/test/support/otlp-receiver.ts';
import type { ReceivedSpan } from '../../../../packages/sightline/test/support/otlp-receiver.ts';
import { until } from '../../../../packages/sightline/test/support/poll.ts';
import { startChild } from '../../src/demo/child-process.ts';
import type { DemoChild } from '../../src/demo/child-process.ts';
import { TENANTS } from '../../src/load.ts';

const INSTANCES = 3;
const ORDERS_PER_SHOP = 40;
const GROUPS = { billing: 'billing.charge', shipping: 'shipping.schedule' } as const;
const START_TIMEOUT_MS = 90_000;
const MiB = 1024 * 1024;

/** `host:port` and path of a metrics URL, as a Prometheus static target. */
function target(url: string): { host: string; path: string } {
  const parsed = new URL(url);
  return { host: parsed.host, path: parsed.pathname };
}

/** Spans by the order id they carry (`app.order.id`). */
function byOrder(spans: readonly ReceivedSpan[], name: string): Map<string, ReceivedSpan[]> {
  const orders = new Map<string, ReceivedSpan[]>();
  for (const span of spans) {
    if (span.name !== name) continue;
    const id = String(span.attributes['app.order.id']);
    orders.set(id, [...(orders.get(id) ?? []), span]);
  }
  return orders;
}

void it(`processes each order once per group with ${INSTANCES} shops and ${INSTANCES} workers, traces across processes, totals right in Prometheus`, { timeout: 300_000 }, async (t) => {
  const nats = await startOwnNatsServer(t);
  await using receiver = await startHttpReceiver();
  const run = `${process.pid}_${Date.now().toString(36)}`;
  const env = (service: string, schema: string): Record<string, string> => ({
    OTEL_SERVICE_NAME: service,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint.replace(/\/v1\/traces$/, ''),
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_LOGS_EXPORTER: 'none',
    OTEL_METRICS_EXPORTER: 'prometheus',
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: '0',
    SHOP_PORT: '0',
    SHOP_DB_SCHEMA: schema,
    SHOP_NATS_URL: nats.url,
    SHOP_NATS_STREAM: `SHOP_FAULT_${run}`.toUpperCase(),
    SHOP_NATS_SUBJECT_PREFIX: `shopfault.${run}`,
    SHOP_PAYMENTS_FAILURE_RATE: '0',
    SHOP_PAYMENTS_SLOW_RATE: '0',
    SHOP_PAYMENTS_OUTAGE_MS: '0',
    SHOP_BILLING_FAILURE_RATE: '0',
  });
  const children: DemoChild[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'sightline-group-'));
  t.after(async () => {
    await Promise.all(children.map((child) => child.stop(20_000)));
    await rm(dir, { recursive: true, force: true });
  });

  // The workers first: the stream keeps an event only for the groups that exist when it is published.
  const workers = Array.from({ length: INSTANCES }, (_, i) => startChild(`worker-${i}`, 'worker.ts', env('shop-worker', `shop_fault_${run}_w${i}`)));
  children.push(...workers);
  const workerMetrics = await Promise.all(workers.map(async (worker) => (await worker.waitForLine(/^worker ready: metrics: (\S+)/, START_TIMEOUT_MS))[1] as string));
  const shops = Array.from({ length: INSTANCES }, (_, i) => startChild(`shop-${i}`, 'main.ts', env('shop', `shop_fault_${run}_s${i}`)));
  children.push(...shops);
  const shopLines = await Promise.all(shops.map((shop) => shop.waitForLine(/^shop ready: (\S+) metrics: (\S+)/, START_TIMEOUT_MS)));

  const targets = (urls: readonly string[]): string => urls.map((url) => `'${target(url).host}'`).join(', ');
  const prometheus = await startPrometheus(
    dir,
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      `  - { job_name: shop, metrics_path: '${target(shopLines[0]?.[2] ?? '').path}', static_configs: [{ targets: [${targets(shopLines.map((line) => line[2] ?? ''))}] }] }`,
      `  - { job_name: shop-worker, metrics_path: '${target(workerMetrics[0] ?? '').path}', static_configs: [{ targets: [${targets(workerMetrics)}] }] }`,
      '',
    ].join('\n'),
    {},
  );
  t.after(() => prometheus.stop());
  const scalar = async (expr: string): Promise<number> => Number((await prometheus.query(expr))[0]?.value[1] ?? Number.NaN);
  await until(async () => (await scalar('sum(up)')) === 2 * INSTANCES, 'Prometheus to scrape all six processes', 30_000);
  const heapBefore = await scalar('max(nodejs_heap_size_used_bytes)');

  // Each shop gets its share of the orders, from one client loop per shop.
  const accepted = new Map<string, { shop: string; tenant: string }>();
  const refused: string[] = [];
  await Promise.all(
    shopLines.map(async ([, url = ''], shop) => {
      for (let n = 0; n < ORDERS_PER_SHOP; n++) {
        const tenant = TENANTS[n % TENANTS.length] ?? 'acme';
        const response = await fetch(`${url}/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-tenant-id': tenant },
          body: JSON.stringify({ lines: [{ productId: `p-${1 + (n % 8)}`, quantity: 1 }] }),
        });
        const body = (await response.json()) as { id?: string };
        if (response.status === 201 && body.id !== undefined) accepted.set(body.id, { shop: `shop-${shop}`, tenant });
        else refused.push(`${response.status} ${JSON.stringify(body)}`);
      }
    }),
  );
  const heapDuring = await scalar('max(nodejs_heap_size_used_bytes)');
  assert.deepEqual(refused, [], 'every order is accepted');
  assert.equal(accepted.size, INSTANCES * ORDERS_PER_SHOP);

  // Every order processed by both groups (the handlers' spans), then Prometheus's sums agree.
  await until(
    () => Object.values(GROUPS).every((name) => byOrder(receiver.spans(), name).size >= accepted.size),
    'a billing and a shipping span for every accepted order',
    90_000,
  );
  const processed = (group: string): Promise<number> =>
    scalar(`sum(messaging_client_consumed_messages_total{messaging_consumer_group_name="${group}", outcome="success"})`);
  const publishedTotal = (): Promise<number> => scalar('sum(messaging_client_sent_messages_total{error_type=""})');
  // Each target is scraped at its own moment: a worker's scrape can show an event processed before
  // the scrape of the shop that published it. Wait for both sums (a wrong total still fails below).
  await until(
    async () =>
      (await processed('billing')) === accepted.size && (await processed('shipping')) === accepted.size && (await publishedTotal()) >= accepted.size,
    'Prometheus to sum every published and processed order',
    30_000,
  );
  const heapAfter = await scalar('max(nodejs_heap_size_used_bytes)');

  const spans = receiver.spans();
  const instanceOf = (span: ReceivedSpan): string => String(span.resource['service.instance.id']);
  const publishes = new Map(spans.filter((span) => span.name === 'publish order.created').map((span) => [span.traceId, span]));
  const figures: string[] = [];
  for (const [group, name] of Object.entries(GROUPS)) {
    const handled = byOrder(spans, name);
    const duplicated = [...handled].filter(([, runs]) => runs.length > 1).map(([id, runs]) => `${id} x${runs.length}`);
    const unknown = [...handled.keys()].filter((id) => !accepted.has(id));
    assert.deepEqual(duplicated, [], `${group}: no order processed twice`);
    assert.deepEqual(unknown, [], `${group}: nothing processed that was not accepted`);
    assert.equal(handled.size, accepted.size, `${group}: every accepted order processed`);
    const processes = new Map<string, number>();
    for (const [id, [span]] of handled) {
      assert.ok(span !== undefined);
      const publish = publishes.get(span.traceId);
      assert.ok(publish !== undefined, `${group}: order ${id} is in the trace of its publish`);
      assert.equal(publish.resource['service.name'], 'shop');
      assert.equal(span.resource['service.name'], 'shop-worker');
      assert.notEqual(instanceOf(publish), instanceOf(span), 'producer and consumer are different processes');
      assert.equal(span.attributes['tenant.id'], accepted.get(id)?.tenant, 'the tenant crosses with the event');
      processes.set(instanceOf(span), (processes.get(instanceOf(span)) ?? 0) + 1);
    }
    assert.ok(processes.size > 1, `${group}: the group's work is shared between workers: ${JSON.stringify([...processes.values()])}`);
    figures.push(`${group}: processed ${handled.size} (per worker ${[...processes.values()].join('/')}), duplicated ${duplicated.length}`);
  }
  const published = await publishedTotal();
  const deadLettered = await scalar('sum(messaging_client_consumed_messages_total{outcome="dead_letter"}) or vector(0)');
  assert.equal(published, accepted.size, 'Prometheus: events published by the three shops = orders accepted');
  assert.equal(deadLettered, 0);
  t.diagnostic(
    `accepted ${accepted.size} (per shop ${ORDERS_PER_SHOP}), published ${published}; ${figures.join('; ')}; dead-lettered ${deadLettered}; ` +
      `max heapUsed over the six processes before ${(heapBefore / MiB).toFixed(1)} MiB, during ${(heapDuring / MiB).toFixed(1)} MiB, after ${(heapAfter / MiB).toFixed(1)} MiB`,
  );
});
