/**
 * The demo, end to end (`bash scripts/demo.sh` runs it):
 *
 * 1. starts the local viewer in this process (OTLP in, web pages out) and,
 *    unless DATABASE_URL names a real PostgreSQL, an embedded one (PGlite on
 *    a loopback port);
 * 2. starts the shop (and, with SHOP_NATS_URL, the worker) with
 *    `--import sightline/register` and nothing but OTEL_* variables pointing
 *    at the viewer (traces and logs pushed, /metrics scraped by the viewer);
 * 3. runs the load generator for DEMO_SECONDS (default 15) across three tenants;
 * 4. prints what a user would look at: responses by status, three traces as
 *    trees and an excerpt of /metrics;
 * 5. with `--serve`, keeps everything running until Ctrl-C; without it,
 *    stops the children with SIGTERM (they flush) and exits.
 */
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { renderTraceText, startScraping, startTraceViewer } from 'sightline-cli';
import type { TraceViewer } from 'sightline-cli';
import { natsSettings } from './config.ts';
import type { NatsSettings } from './config.ts';
import { startChild, waitForHealthy } from './demo/child-process.ts';
import { startEmbeddedPostgres } from './demo/embedded-postgres.ts';
import type { EmbeddedPostgres } from './demo/embedded-postgres.ts';
import type { DemoChild } from './demo/child-process.ts';
import { pickExampleTraces } from './demo/example-traces.ts';
import type { ExampleTraces } from './demo/example-traces.ts';
import { renderMetricsExcerpt } from './demo/metrics-excerpt.ts';
import { parsePrometheusText } from 'sightline-cli';
import type { Sample } from 'sightline-cli';
import { runLoad, TENANTS } from './load.ts';
import type { LoadReport } from './load.ts';

const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 15_000;

const serve = process.argv.includes('--serve');
const seconds = Number(process.env['DEMO_SECONDS'] ?? 15);
if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`Expected DEMO_SECONDS to be a positive number, got ${process.env['DEMO_SECONDS']}.`);

const runId = `${process.pid}_${Date.now().toString(36)}`;
const baseNats = natsSettings(process.env);
const nats: NatsSettings | undefined = baseNats && {
  url: baseNats.url,
  stream: process.env['SHOP_NATS_STREAM'] ?? `SHOP_DEMO_${runId}`,
  subjectPrefix: process.env['SHOP_NATS_SUBJECT_PREFIX'] ?? `shopdemo.${runId}`,
};

const say = (line = ''): void => void process.stdout.write(`${line}\n`);
const heading = (title: string): void => say(`\n== ${title}`);

function childEnv(viewer: TraceViewer, serviceName: string, databaseUrl: string): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: serviceName,
    OTEL_EXPORTER_OTLP_ENDPOINT: viewer.url,
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_LOGS_EXPORTER: 'otlp',
    OTEL_METRICS_EXPORTER: 'prometheus',
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: '0',
    SHOP_PORT: '0',
    SHOP_DATABASE_URL: databaseUrl,
    SHOP_DB_SCHEMA: `shop_demo_${runId}`.toLowerCase(),
    ...(nats === undefined
      ? {}
      : { SHOP_NATS_URL: nats.url, SHOP_NATS_STREAM: nats.stream, SHOP_NATS_SUBJECT_PREFIX: nats.subjectPrefix }),
  };
}

async function scrape(urls: readonly string[]): Promise<Sample[]> {
  const texts = await Promise.all(urls.map(async (url) => (await fetch(url, { signal: AbortSignal.timeout(5000) })).text()));
  return texts.flatMap(parsePrometheusText);
}

async function deleteStreams(settings: NatsSettings): Promise<void> {
  const nc = await connect({ servers: settings.url, timeout: 5000 });
  try {
    const jsm = await jetstreamManager(nc);
    for (const stream of [settings.stream, `${settings.stream}_DLQ`]) await jsm.streams.delete(stream).catch(() => false);
  } finally {
    await nc.close();
  }
}

function printLoad(report: LoadReport): void {
  heading(`Load: ${report.requests} requests in ${report.seconds.toFixed(1)} s across ${TENANTS.join(', ')}`);
  say(`  by status: ${[...report.byStatus].sort().map(([status, count]) => `${status} ×${count}`).join(', ')}`);
  for (const [key, count] of [...report.byAction].sort()) say(`    ${key.padEnd(22)} ${String(count).padStart(6)}`);
}

function printTraces(examples: ExampleTraces, viewer: TraceViewer): void {
  const show = (title: string, trace: ExampleTraces[keyof ExampleTraces]): void => {
    heading(title);
    if (trace === undefined) {
      say('  (none in this run)');
      return;
    }
    say(`${viewer.url}/traces/${trace.traceId}`);
    say(renderTraceText(trace));
  };
  show('Trace: a successful order (HTTP → orders.place → payments → publish → billing and shipping)', examples.successfulOrder);
  show('Trace: a failed payment', examples.failedPayment);
  show('Trace: an event billing could not handle (retried, then dead-lettered)', examples.deadLetter);
}

/** Waits (bounded) until the viewer holds a complete example of each kind, or the time is up. */
async function waitForExamples(viewer: TraceViewer, timeoutMs: number): Promise<ExampleTraces> {
  const deadline = performance.now() + timeoutMs;
  let examples = pickExampleTraces(viewer.store.list());
  while (performance.now() < deadline && Object.values(examples).some((trace) => trace === undefined)) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    examples = pickExampleTraces(viewer.store.list());
  }
  return examples;
}

const viewer = await startTraceViewer({ port: 0 });
const children: DemoChild[] = [];
let embedded: EmbeddedPostgres | undefined;
let stopScraping = (): void => undefined;
let failed = false;
try {
  const realDatabase = process.env['DATABASE_URL'];
  if (realDatabase === undefined || realDatabase === '') embedded = await startEmbeddedPostgres(24);
  const databaseUrl = embedded?.url ?? realDatabase ?? '';
  say(`Sightline demo: viewer at ${viewer.url}; events over ${nats === undefined ? 'the memory transport' : `NATS ${nats.url} (stream ${nats.stream})`}`);
  say(`Database: ${embedded === undefined ? 'PostgreSQL from DATABASE_URL' : `embedded PostgreSQL (PGlite) at ${embedded.url}; set DATABASE_URL to use a real one`}`);
  const metricsUrls: string[] = [];
  if (nats !== undefined) {
    const worker = startChild('worker', 'worker.ts', childEnv(viewer, 'shop-worker', databaseUrl));
    children.push(worker);
    const [, workerMetrics = ''] = await worker.waitForLine(/^worker ready: metrics: (\S+)/, START_TIMEOUT_MS);
    metricsUrls.push(workerMetrics);
  }
  const shop = startChild('shop', 'main.ts', childEnv(viewer, 'shop', databaseUrl));
  children.unshift(shop);
  const [, shopUrl = '', shopMetrics = ''] = await shop.waitForLine(/^shop ready: (\S+) metrics: (\S+)/, START_TIMEOUT_MS);
  metricsUrls.unshift(shopMetrics);
  await waitForHealthy(`${shopUrl}/health`, START_TIMEOUT_MS);
  stopScraping = startScraping(viewer.ingest, { urls: metricsUrls, intervalMillis: 1000 });
  say(`Shop at ${shopUrl}, metrics at ${metricsUrls.join(' and ')}; running load for ${seconds} s ...`);

  const report = await runLoad({ baseUrl: shopUrl, seconds });
  const samples = await scrape(metricsUrls);
  let examples: ExampleTraces;
  if (serve) {
    examples = await waitForExamples(viewer, 3000);
  } else {
    for (const child of children) {
      const exit = await child.stop(STOP_TIMEOUT_MS);
      if (exit.code !== 0) {
        failed = true;
        process.stderr.write(`${child.name} did not exit cleanly: code ${exit.code}, signal ${exit.signal}\n`);
      }
    }
    examples = pickExampleTraces(viewer.store.list());
  }

  printLoad(report);
  printTraces(examples, viewer);
  heading(`Metrics excerpt (scraped from ${metricsUrls.join(', ')})`);
  say(renderMetricsExcerpt(samples, report.seconds));

  if (serve) {
    heading('Still running (Ctrl-C to stop)');
    say(`  viewer:  ${viewer.url}  (traces, logs, metrics)`);
    say(`  shop:    ${shopUrl}  (try: curl -H 'x-tenant-id: acme' ${shopUrl}/products/p-1)`);
    say(`  metrics: ${metricsUrls.join('  ')}`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  }
} catch (error) {
  failed = true;
  process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
} finally {
  stopScraping();
  for (const child of children) {
    const exit = await child.stop(STOP_TIMEOUT_MS);
    if (serve && exit.code !== 0) failed = true;
  }
  if (nats !== undefined) await deleteStreams(nats).catch((error: unknown) => process.stderr.write(`could not delete the NATS streams: ${String(error)}\n`));
  await viewer.close();
  await embedded?.close();
}
process.exitCode = failed ? 1 : 0;
