/**
 * Examples for docs/tracing.md. Type-checked with the rest of the repository.
 */
import { createServer } from 'node:http';
import { currentTelemetry, TelemetryAlreadyStartedError, withSpan, withTenant } from 'sightline';
import { startTelemetry } from 'sightline/sdk';
import { defaultMetricsRegistry } from 'sightline/metrics';
import type { MetricsRegistry } from 'sightline';
import type { Telemetry, TelemetrySpanStats } from 'sightline';

/** Explicit start with options; every option not given comes from OTEL_* variables. */
export async function startOrders(): Promise<Telemetry> {
  return startTelemetry({
    serviceName: 'orders',
    serviceVersion: '1.4.2',
    environment: 'production',
    traces: { protocol: 'grpc', endpoint: 'http://otel-collector:4317', compression: 'gzip' },
    batch: { maxQueueSize: 4096 },
    instrumentations: { pg: false },
    shutdown: { handleSignals: true, timeoutMillis: 3000 },
  });
}

/** A short-lived job: `await using` flushes and shuts down when the block ends, even on a throw. */
export async function runJob(job: () => Promise<void>): Promise<void> {
  await using telemetry = await startTelemetry({ serviceName: 'nightly-report' });
  await job();
  process.stdout.write(`${describeSpans(telemetry)}\n`);
}

/** The app owns SIGTERM: stop taking requests, then flush spans, then let the process end. */
export async function gracefulServer(): Promise<void> {
  const telemetry = await startTelemetry({ serviceName: 'orders' });
  const server = createServer((_req, res) => res.end('ok')).listen(3000);
  process.once('SIGTERM', () => {
    server.close(() => {
      void telemetry.shutdown();
    });
  });
}

/** Span pipeline counts, e.g. for a health endpoint or a log line. */
export function describeSpans(telemetry: Telemetry): string {
  const { exported, dropped, failed, queueSize, queueCapacity }: TelemetrySpanStats = telemetry.stats();
  return `spans exported=${exported} dropped=${dropped} failed=${failed} queue=${queueSize}/${queueCapacity}`;
}

/** Telemetry runs once per process; a second start says who started the first. */
export async function startOnce(): Promise<Telemetry | undefined> {
  try {
    return await startTelemetry();
  } catch (error) {
    if (error instanceof TelemetryAlreadyStartedError) return undefined; // e.g. started by --import sightline/register
    throw error;
  }
}

/** Every span below carries tenant.id and user.id; the span records a failure and ends once. */
export async function placeOrder(): Promise<void> {
  await withTenant({ tenantId: 'acme', userId: 'u-42' }, () =>
    withSpan('orders.place', { attributes: { 'app.module': 'orders' } }, async (span) => {
      span.setAttribute('app.order.items', 3);
      await Promise.resolve();
    }));
}

/** Health checks never, orders at 50 %, everything else at 1 %, tenant acme always. */
export async function startWithRules(): Promise<Telemetry> {
  return startTelemetry({
    sampler: {
      type: 'rules',
      defaultRatio: 0.01,
      alwaysSampleTenants: ['acme'],
      rules: [{ route: '/health', ratio: 'never' }, { spanName: /^orders\./, ratio: 0.5 }],
    },
  });
}

/**
 * Started with `node --import sightline/register app.js`: the app has no handle of its own. Owning
 * SIGTERM, it awaits the flush after closing its servers. Its metrics go to the default registry, the
 * one the metrics server serves.
 */
export function zeroCodeApp(closeServers: () => Promise<void>): MetricsRegistry {
  process.once('SIGTERM', () => {
    void closeServers().then(() => currentTelemetry()?.shutdown());
  });
  return defaultMetricsRegistry();
}
