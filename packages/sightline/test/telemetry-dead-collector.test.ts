/**
 * A dead collector never hurts the app: requests keep succeeding, nothing is
 * thrown or left as an unhandled rejection, failed and dropped spans are
 * counted, the heap stays bounded by the batch queue, and export resumes once
 * a collector listens on the port again.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import type { TelemetrySpanStats } from 'sightline';
import { startChildApp } from './support/child-app.ts';
import { until, waitFor } from './support/poll.ts';
import { startHttpReceiver } from './support/otlp-receiver.ts';

interface AppStats {
  readonly stats: TelemetrySpanStats;
  readonly heapUsed: number;
  readonly unhandledRejections: readonly string[];
}

const ROUNDS = 50;
const SPANS_PER_ROUND = 2000;
const MiB = 1024 * 1024;
/** How long each phase may take: exports to a dead port time out before they count as failed. */
const COLLECTOR_TIMEOUT_MS = 30_000;
/** 100 000 spans carrying 1 KiB each would need well over 100 MiB if they were kept; the queue holds 512. */
const HEAP_GROWTH_BOUND = 48 * MiB;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}


void it('keeps the app healthy and memory bounded while the collector is down, then resumes export', async (t) => {
  const port = await closedPort();
  await using app = startChildApp('dead-collector-app.ts', {
    env: {
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${port}/v1/traces`,
    },
    execArgv: ['--expose-gc'],
  });
  const { port: appPort } = await app.nextMessage<{ port: number }>();
  const base = `http://127.0.0.1:${appPort}`;
  const stats = async (): Promise<AppStats> => (await (await fetch(`${base}/stats`)).json()) as AppStats;

  const before = await stats();
  for (let round = 0; round < ROUNDS; round++) {
    const response = await fetch(`${base}/spans?count=${SPANS_PER_ROUND}&tag=down`);
    assert.equal(response.status, 200, 'the app keeps serving while the collector is down');
    await response.arrayBuffer();
  }
  const during = await waitFor('a failed export to be counted', async () => {
    const current = await stats();
    return current.stats.failed > 0 ? current : undefined;
  }, COLLECTOR_TIMEOUT_MS);
  assert.ok(during.stats.dropped > 0, `drops are counted: ${JSON.stringify(during.stats)}`);
  assert.ok(during.stats.queueSize <= during.stats.queueCapacity);
  assert.equal(during.stats.queueCapacity, 512);
  assert.equal(during.stats.exported, 0);
  const total = ROUNDS * SPANS_PER_ROUND;
  assert.ok(during.stats.dropped + during.stats.failed + during.stats.queueSize <= total);
  const growth = during.heapUsed - before.heapUsed;
  assert.ok(growth < HEAP_GROWTH_BOUND, `heap grew by ${(growth / MiB).toFixed(1)} MiB with the collector down`);

  await using receiver = await startHttpReceiver({ port });
  // Spans queued while the collector was down arrive first; new spans find room once the queue drains.
  await receiver.waitForSpans(1);
  await until(async () => (await stats()).stats.queueSize === 0, 'the queue to drain', COLLECTOR_TIMEOUT_MS);
  const resumed = await fetch(`${base}/spans?count=10&tag=resumed`);
  assert.equal(resumed.status, 200);
  await until(
    () => receiver.spans().filter((s) => s.attributes['app.tag'] === 'resumed').length === 10,
    'spans exported after the collector came back',
    COLLECTOR_TIMEOUT_MS,
  );
  const after = await stats();
  assert.ok(after.stats.exported >= 10);
  assert.deepEqual(after.unhandledRejections, []);
  assert.doesNotMatch(app.stderr(), /unhandled/i);

  t.diagnostic(
    `heapUsed before ${(before.heapUsed / MiB).toFixed(1)} MiB, during ${(during.heapUsed / MiB).toFixed(1)} MiB, ` +
      `after ${(after.heapUsed / MiB).toFixed(1)} MiB; ${total} spans offered; stats while down ${JSON.stringify(during.stats)}; ` +
      `after recovery ${JSON.stringify(after.stats)}`,
  );
});
