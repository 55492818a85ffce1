/**
 * The event-bus scenarios. `bus`: the memory transport with telemetry off
 * and on, 1 and 20 subscribers (consumer groups). `nats`: Sightline's
 * JetStream transport, telemetry off and on, against the bare
 * `@nats-io/jetstream` client doing the same publish, consume and ack.
 * Each run is a fresh process pinned to the server core (telemetry is
 * process-wide); variants are interleaved in every round.
 */
import { SERVER_CORE, startProcess } from '../lib/processes.ts';
import type { ReportTable, RunSettings, ScenarioReport } from '../lib/report-types.ts';
import { fmt } from '../lib/report-types.ts';
import { startOtlpSink } from '../lib/sink.ts';
import { median, ratio } from '../lib/stats.ts';
import { otelEnv } from './http.ts';
import type { BusRunResult, BusRunSpec } from './bus-worker.ts';

interface BusVariant {
  readonly id: string;
  readonly label: string;
  readonly spec: Omit<BusRunSpec, 'events' | 'natsUrl'>;
}

const NATS_URL = process.env['BENCH_NATS_URL'] ?? 'nats://127.0.0.1:4222';

async function runVariants(
  variants: readonly BusVariant[],
  events: (variant: BusVariant) => number,
  settings: RunSettings,
): Promise<{ results: Map<string, BusRunResult[]>; sinkRequests: number }> {
  await using sink = await startOtlpSink();
  const results = new Map<string, BusRunResult[]>(variants.map((v) => [v.id, []]));
  for (let round = 0; round < settings.rounds; round++) {
    for (const variant of variants) {
      const spec: BusRunSpec = { ...variant.spec, events: events(variant), natsUrl: NATS_URL };
      const worker = startProcess('bench/scenarios/bus-worker.ts', [JSON.stringify(spec)], {
        core: SERVER_CORE,
        env: { ...otelEnv(sink.endpoint), OTEL_TRACES_SAMPLER: 'always_on' },
      });
      try {
        results.get(variant.id)!.push(await worker.nextMessage<BusRunResult>());
      } finally {
        await worker.stop(10_000);
      }
    }
  }
  return { results, sinkRequests: (await sink.stats()).requests };
}

function summarize(runs: readonly BusRunResult[]) {
  return {
    rate: median(runs.map((r) => r.events / r.seconds)),
    cpu: median(runs.map((r) => r.cpuMicros / r.events)),
    cpuPerDelivery: median(runs.map((r) => r.cpuMicros / r.deliveries)),
  };
}

function table(title: string, variants: readonly BusVariant[], results: Map<string, BusRunResult[]>, base: string, prefix: string, figures: Record<string, number>): ReportTable {
  const baseline = summarize(results.get(base)!);
  return {
    title,
    columns: ['variant', 'events/s', `× ${variants.find((v) => v.id === base)!.label}`, 'CPU µs/event', 'CPU µs/delivery'],
    rows: variants.map((variant) => {
      const s = summarize(results.get(variant.id)!);
      for (const [key, value] of Object.entries(s)) figures[`${prefix}.${variant.id}.${key}`] = value;
      return [variant.label, fmt(s.rate, 0), fmt(ratio(s.rate, baseline.rate), 2), fmt(s.cpu), fmt(s.cpuPerDelivery)];
    }),
  };
}

const MEMORY_VARIANTS: readonly BusVariant[] = [
  { id: 'memory-off-1', label: 'telemetry off, 1 subscriber', spec: { kind: 'memory', telemetry: false, subscribers: 1 } },
  { id: 'memory-on-1', label: 'telemetry on, 1 subscriber', spec: { kind: 'memory', telemetry: true, subscribers: 1 } },
  { id: 'memory-off-20', label: 'telemetry off, 20 subscribers', spec: { kind: 'memory', telemetry: false, subscribers: 20 } },
  { id: 'memory-on-20', label: 'telemetry on, 20 subscribers', spec: { kind: 'memory', telemetry: true, subscribers: 20 } },
];

/** The memory-transport scenario. */
export async function runMemoryBusScenario(settings: RunSettings): Promise<ScenarioReport> {
  const events = (v: BusVariant) => (settings.smoke ? 100 : v.spec.subscribers === 1 ? 20_000 : 2_000);
  const { results, sinkRequests } = await runVariants(MEMORY_VARIANTS, events, settings);
  const figures: Record<string, number> = { 'bus.sink.requests': sinkRequests };
  return {
    id: 'bus',
    title: 'Event bus: memory transport',
    method:
      `A process pinned to one core publishes ${settings.smoke ? 100 : '20,000 (1 subscriber) or 2,000 (20 subscribers)'} events, ` +
      'each publish awaited inside `withTenant`, and waits until every subscription (one consumer group each) handled every event. ' +
      'Telemetry on: every span sampled and exported to the local OTLP sink. CPU from `process.cpuUsage()`. ' +
      `${settings.rounds} interleaved rounds; medians.`,
    tables: [table('memory transport', MEMORY_VARIANTS, results, 'memory-off-1', 'bus', figures)],
    figures,
  };
}

const NATS_VARIANTS: readonly BusVariant[] = [
  { id: 'bare', label: 'bare @nats-io/jetstream client', spec: { kind: 'bare-nats', telemetry: false, subscribers: 1 } },
  { id: 'sightline-off', label: 'Sightline JetStream transport, telemetry off', spec: { kind: 'nats', telemetry: false, subscribers: 1 } },
  { id: 'sightline-on', label: 'Sightline JetStream transport, telemetry on', spec: { kind: 'nats', telemetry: true, subscribers: 1 } },
];

/** The JetStream scenario. */
export async function runNatsScenario(settings: RunSettings): Promise<ScenarioReport> {
  const count = settings.smoke ? 50 : 3_000;
  const { results, sinkRequests } = await runVariants(NATS_VARIANTS, () => count, settings);
  const figures: Record<string, number> = { 'nats.sink.requests': sinkRequests };
  return {
    id: 'nats',
    title: 'Event bus: NATS JetStream',
    method:
      `A process pinned to one core publishes ${count} events to a stream of its own (deleted afterwards), each publish awaited ` +
      '(with a message id for deduplication), while one durable consumer receives, parses and acks them; the run ends when all ' +
      `were consumed. The NATS server (${NATS_URL}) runs unpinned. ${settings.rounds} interleaved rounds; medians.`,
    tables: [table('JetStream', NATS_VARIANTS, results, 'bare', 'nats', figures)],
    figures,
  };
}
