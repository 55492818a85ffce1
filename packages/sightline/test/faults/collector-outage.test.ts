/**
 * Fault: the collector goes away under load and comes back on the same port,
 * for OTLP over HTTP/protobuf and over gRPC. The service keeps answering
 * every request; spans produced while the collector is down are exported,
 * failed or dropped, and every one is counted (`Telemetry.stats()`, the
 * source of `sightline_telemetry_spans_total`); once the collector listens
 * again, the spans of every request made from then on arrive: no gap after
 * recovery.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { TelemetrySpanStats } from 'sightline';
import { startChildApp } from '../support/child-app.ts';
import { startGrpcReceiver, startHttpReceiver } from '../support/otlp-receiver.ts';
import type { OtlpReceiver, ReceiverOptions } from '../support/otlp-receiver.ts';
import { until } from '../support/poll.ts';

interface AppStats {
  readonly stats: TelemetrySpanStats;
  readonly heapUsed: number;
  readonly unhandledRejections: readonly string[];
}

/** One request of the load: when it was sent (ms since the test started) and how it ended. */
interface SentRequest {
  readonly tag: string;
  readonly sentAt: number;
  readonly status: number | string;
}

const SPANS_PER_REQUEST = 10;
/** Each of the load's loops sends one request, then waits this long. */
const LOAD_PAUSE_MS = 40;
const LOAD_LOOPS = 2;
const UP_MS = 2000;
/** Long enough for gRPC's reconnect backoff (1 s, x1.6, jittered) to reach several seconds. */
const DOWN_MS = 15_000;
const RECOVERED_MS = 6000;
const MiB = 1024 * 1024;
/** OpenTelemetry's default: a refused batch is retried (HTTP) within this time while new spans queue up behind it. */
const EXPORT_TIMEOUT_MS = 10_000;

const PROTOCOLS: readonly { protocol: string; start: (options: ReceiverOptions) => Promise<OtlpReceiver> }[] = [
  { protocol: 'http/protobuf', start: startHttpReceiver },
  { protocol: 'grpc', start: startGrpcReceiver },
];

/** Requests in a loop until `stop` resolves; each is tagged with a unique id so its spans can be found. */
async function load(base: string, started: number, sent: SentRequest[], stopped: () => boolean): Promise<void> {
  while (!stopped()) {
    const tag = `r${sent.length}-${Math.random().toString(36).slice(2, 8)}`;
    const sentAt = Date.now() - started;
    let status: number | string;
    try {
      const response = await fetch(`${base}/spans?count=${SPANS_PER_REQUEST}&tag=${tag}`);
      await response.arrayBuffer();
      status = response.status;
    } catch (error) {
      status = String(error);
    }
    sent.push({ tag, sentAt, status });
    await delay(LOAD_PAUSE_MS);
  }
}

async function collectorOutage(t: TestContext, protocol: string, start: (options: ReceiverOptions) => Promise<OtlpReceiver>): Promise<void> {
  const first = await start({});
  const { port } = first;
  await using app = startChildApp('dead-collector-app.ts', {
    env: { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: first.endpoint },
    execArgv: ['--expose-gc'],
    args: [String(EXPORT_TIMEOUT_MS)],
  });
  const { port: appPort } = await app.nextMessage<{ port: number }>();
  const base = `http://127.0.0.1:${appPort}`;
  const stats = async (): Promise<AppStats> => (await (await fetch(`${base}/stats`)).json()) as AppStats;
  const before = await stats();

  const started = Date.now();
  const sent: SentRequest[] = [];
  let stopped = false;
  const loops = Array.from({ length: LOAD_LOOPS }, () => load(base, started, sent, () => stopped));
  try {
    await delay(UP_MS);
    await first.close();
    const downAt = Date.now() - started;
    await delay(DOWN_MS / 2);
    const during = await stats();
    await delay(DOWN_MS / 2);
    await using second = await start({ port });
    const upAt = Date.now() - started;
    await delay(RECOVERED_MS);
    stopped = true;
    await Promise.all(loops);

    const received = new Map<string, number>();
    const count = (spans: readonly { attributes: Readonly<Record<string, unknown>> }[]): void => {
      for (const span of spans) {
        const tag = String(span.attributes['app.tag']);
        received.set(tag, (received.get(tag) ?? 0) + 1);
      }
    };
    const produced = sent.length * SPANS_PER_REQUEST;
    // Every span ends exported, failed or dropped, and nothing stays queued.
    const after = await (async () => {
      await until(async () => {
        const { stats: s } = await stats();
        return s.queueSize === 0 && s.exported + s.failed + s.dropped === produced;
      }, 'every span to be exported, failed or dropped', 30_000);
      return stats();
    })();
    count(first.spans());
    count(second.spans());

    assert.deepEqual(sent.filter((request) => request.status !== 200), [], 'every request succeeds while the collector is down');
    // A batch counted as failed may still have reached the receiver (an export that timed out after sending).
    const receivedCount = [...received.values()].reduce((sum, n) => sum + n, 0);
    assert.ok(receivedCount >= after.stats.exported, `every span counted as exported arrived: ${receivedCount} received`);
    assert.ok(receivedCount <= after.stats.exported + after.stats.failed, `nothing arrived uncounted: ${receivedCount} received`);
    assert.ok(after.stats.failed + after.stats.dropped > 0, `the outage is counted: ${JSON.stringify(after.stats)}`);

    // No gap: every request sent once the collector listened again has all its spans received.
    const afterRecovery = sent.filter((request) => request.sentAt >= upAt);
    const missing = afterRecovery.filter((request) => received.get(request.tag) !== SPANS_PER_REQUEST);
    const perSecond = new Map<number, { sent: number; complete: number }>();
    for (const request of afterRecovery) {
      const second = Math.floor((request.sentAt - upAt) / 1000);
      const bucket = perSecond.get(second) ?? { sent: 0, complete: 0 };
      bucket.sent++;
      if (received.get(request.tag) === SPANS_PER_REQUEST) bucket.complete++;
      perSecond.set(second, bucket);
    }
    t.diagnostic(
      `${protocol}: ${sent.length} requests (${produced} spans, ${receivedCount} received), collector down ${downAt}..${upAt} ms; ` +
        `stats while down ${JSON.stringify(during.stats)}; after ${JSON.stringify(after.stats)}; ` +
        `heapUsed before ${(before.heapUsed / MiB).toFixed(1)} MiB, during ${(during.heapUsed / MiB).toFixed(1)} MiB, after ${(after.heapUsed / MiB).toFixed(1)} MiB; ` +
        `per second after recovery (sent/complete): ${[...perSecond].map(([s, b]) => `${s}:${b.sent}/${b.complete}`).join(' ')}`,
    );
    assert.ok(afterRecovery.length > 0);
    assert.deepEqual(
      missing.map((request) => `${request.tag} sent ${request.sentAt - upAt} ms after recovery: ${received.get(request.tag) ?? 0} spans`),
      [],
      'the spans of every request after recovery arrive',
    );
    assert.deepEqual(after.unhandledRejections, []);
  } finally {
    stopped = true;
    await Promise.all(loops);
    await first.close();
  }
}

void describe('collector down under load and back', () => {
  for (const { protocol, start } of PROTOCOLS) {
    void it(`${protocol}: keeps serving, counts every span, and leaves no gap after recovery`, (t) => collectorOutage(t, protocol, start));
  }
});
