/**
 * The HTTP scenario: a hello-world server, on `node:http` and on Express,
 * bare and under each kind of instrumentation, pinned to one core; load from
 * a separate process on the other core. Per variant and round: a warm-up,
 * then a run at a fixed rate (server CPU per request, p50/p99), then a run
 * as fast as the server answers (throughput). Variants are interleaved in
 * every round (in a rotated order) and the medians of the rounds reported.
 */
import { join } from 'node:path';
import { startLoadGenerator } from '../lib/load.ts';
import type { MeasuredLoad } from '../lib/load.ts';
import { SERVER_CORE, startProcess } from '../lib/processes.ts';
import type { BenchProcess } from '../lib/processes.ts';
import type { ReportTable, RunSettings, ScenarioReport } from '../lib/report-types.ts';
import { fmt } from '../lib/report-types.ts';
import { startOtlpSink } from '../lib/sink.ts';
import { median, ratio } from '../lib/stats.ts';

/** One way of running the server. */
export interface HttpVariant {
  readonly id: string;
  readonly label: string;
  readonly nodeArgs: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

const SIGHTLINE = { nodeArgs: ['--import', 'sightline/register'] };
const MIDDLEWARE = { BENCH_MIDDLEWARE: 'sightline' };
const PLAIN_OTEL = ['--import', './bench/scenarios/otel-plain.ts'];

/** The variants, bare first (the baseline), then plain OpenTelemetry (the reference). */
export const HTTP_VARIANTS: readonly HttpVariant[] = [
  { id: 'bare', label: 'bare', nodeArgs: [], env: {} },
  { id: 'otel', label: 'plain OpenTelemetry (NodeSDK + http, batch, OTLP proto)', nodeArgs: PLAIN_OTEL, env: {} },
  {
    id: 'otel-10',
    label: 'plain OpenTelemetry, 10% sampled',
    nodeArgs: PLAIN_OTEL,
    env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
  },
  {
    id: 'auto',
    label: 'auto-instrumentations-node/register (traces only)',
    nodeArgs: ['--experimental-loader=@opentelemetry/instrumentation/hook.mjs', '--import', '@opentelemetry/auto-instrumentations-node/register'],
    env: {},
  },
  { id: 'register', label: '--import sightline/register', ...SIGHTLINE, env: {} },
  { id: 'sightline-100', label: 'Sightline register + middleware + /metrics, 100%', ...SIGHTLINE, env: { ...MIDDLEWARE } },
  {
    id: 'sightline-10',
    label: 'the same, 10% sampled',
    ...SIGHTLINE,
    env: { ...MIDDLEWARE, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
  },
  { id: 'sightline-0', label: 'the same, always_off', ...SIGHTLINE, env: { ...MIDDLEWARE, OTEL_TRACES_SAMPLER: 'always_off' } },
];

/** The `OTEL_*` settings every variant runs with: traces only, OTLP/HTTP protobuf to the sink, no cloud detectors. */
export function otelEnv(endpoint: string): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: 'bench',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
  };
}

/** Starts the server of one variant pinned to the server core and returns it with its URL. */
export async function startHttpServer(
  variant: HttpVariant,
  framework: string,
  endpoint: string,
  port = 0,
): Promise<{ server: BenchProcess; url: string }> {
  const server = startProcess('bench/scenarios/http-server.ts', [], {
    core: SERVER_CORE,
    nodeArgs: variant.nodeArgs,
    env: { ...otelEnv(endpoint), ...variant.env, BENCH_FRAMEWORK: framework, BENCH_PORT: String(port) },
  });
  const message = await server.nextMessage<{ port: number }>();
  return { server, url: `http://127.0.0.1:${message.port}/` };
}

const FRAMEWORKS = ['node', 'express'] as const;
const FRAMEWORK_LABELS: Record<(typeof FRAMEWORKS)[number], string> = { node: 'node:http', express: 'Express' };
const HEADERS = { 'x-tenant-id': 'acme' };
const SMOKE_EXPRESS = ['bare', 'otel', 'sightline-100'];

interface VariantRounds {
  readonly fixed: MeasuredLoad[];
  readonly saturated: MeasuredLoad[];
}

/** Runs the scenario. */
export async function runHttpScenario(settings: RunSettings): Promise<ScenarioReport> {
  const rate = settings.smoke ? 200 : (settings.rate ?? 2000);
  const fixedSeconds = settings.smoke ? 0.2 : 3;
  const warmSeconds = settings.smoke ? 0.1 : 1;
  const saturatedSeconds = settings.smoke ? 0.2 : 2;
  const figures: Record<string, number> = {};
  const tables: ReportTable[] = [];
  await using sink = await startOtlpSink();
  await using load = startLoadGenerator();

  for (const framework of FRAMEWORKS.filter((f) => settings.frameworks?.includes(f) ?? true)) {
    // The smoke run keeps Express to the variants whose wiring differs from node:http's.
    const variants = HTTP_VARIANTS.filter(
      (v) => (settings.variants?.includes(v.id) ?? true) && (!settings.smoke || framework === 'node' || SMOKE_EXPRESS.includes(v.id)),
    );
    const servers = new Map<string, { server: BenchProcess; url: string }>();
    const results = new Map<string, VariantRounds>(variants.map((v) => [v.id, { fixed: [], saturated: [] }]));
    try {
      const profiled = (variant: HttpVariant): HttpVariant =>
        settings.profileDir === undefined
          ? variant
          : { ...variant, env: { ...variant.env, BENCH_PROFILE_FILE: join(settings.profileDir, `${framework}-${variant.id}.cpuprofile`) } };
      const started = await Promise.allSettled(variants.map((variant) => startHttpServer(profiled(variant), framework, sink.endpoint)));
      started.forEach((result, i) => {
        if (result.status === 'fulfilled') servers.set(variants[i]!.id, result.value);
      });
      const failed = started.find((result) => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      for (let round = 0; round < settings.rounds; round++) {
        const order = rotate(variants, round);
        for (const variant of order) {
          const { server, url } = servers.get(variant.id)!;
          const rounds = results.get(variant.id)!;
          await load.measure(server.pid, { url, rate, seconds: warmSeconds, connections: 10, headers: HEADERS });
          if (settings.profileDir !== undefined && round === 0) server.child.kill('SIGUSR2');
          rounds.fixed.push(await load.measure(server.pid, { url, rate, seconds: fixedSeconds, connections: 10, headers: HEADERS }));
          rounds.saturated.push(await load.measure(server.pid, { url, rate: 0, seconds: saturatedSeconds, connections: 10, headers: HEADERS }));
        }
      }
    } finally {
      await Promise.all([...servers.values()].map(({ server }) => server.stop()));
    }
    tables.push(httpTable(framework, FRAMEWORK_LABELS[framework], variants, results, rate, figures));
  }
  const exported = await sink.stats();
  figures['http.sink.requests'] = exported.requests;
  return {
    id: 'http',
    title: 'HTTP: a hello-world request',
    method:
      `Each server is pinned to one core; autocannon (10 connections, header \`x-tenant-id\`) runs in its own process on the other core. ` +
      `Per round and variant: ${warmSeconds} s warm-up, ${fixedSeconds} s at ${rate} requests/s (server CPU time per request from ` +
      `\`/proc/<pid>/stat\`, p50/p99 latency), then ${saturatedSeconds} s as fast as the server answers (throughput). ` +
      `${settings.rounds} interleaved rounds; medians. Every exporting variant sends OTLP/HTTP protobuf to a live local sink ` +
      `(${exported.requests} export requests, ${(exported.bytes / 1e6).toFixed(1)} MB received).`,
    tables,
    figures,
  };
}

function httpTable(
  framework: string,
  frameworkLabel: string,
  variants: readonly HttpVariant[],
  results: Map<string, VariantRounds>,
  rate: number,
  figures: Record<string, number>,
): ReportTable {
  const summary = (id: string) => {
    const rounds = results.get(id) ?? { fixed: [], saturated: [] };
    return {
      cpu: median(rounds.fixed.map((r) => r.cpuPerRequest)),
      p50: median(rounds.fixed.map((r) => r.p50)),
      p99: median(rounds.fixed.map((r) => r.p99)),
      throughput: median(rounds.saturated.map((r) => r.requestsPerSecond)),
      errors: rounds.fixed.reduce((sum, r) => sum + r.errors + r.non2xx, 0) + rounds.saturated.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
    };
  };
  const bare = summary('bare');
  const otel = summary('otel');
  const rows = variants.map((variant) => {
    const s = summary(variant.id);
    for (const [key, value] of Object.entries(s)) figures[`http.${framework}.${variant.id}.${key}`] = value;
    return [
      variant.label,
      fmt(s.cpu),
      fmt(ratio(s.cpu, bare.cpu), 2),
      fmt(ratio(s.cpu, otel.cpu), 2),
      fmt(s.p50, 2),
      fmt(s.p99, 2),
      fmt(s.throughput, 0),
      fmt(ratio(s.throughput, otel.throughput), 2),
      String(s.errors),
    ];
  });
  return {
    title: `${frameworkLabel}`,
    columns: ['variant', `CPU µs/request at ${rate}/s`, '× bare', '× plain OTel', 'p50 ms', 'p99 ms', 'max requests/s', 'throughput × plain OTel', 'errors'],
    rows,
  };
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
