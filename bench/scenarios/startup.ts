/**
 * The startup scenario: time from spawning the server to its first 200,
 * bare, with plain OpenTelemetry and with Sightline, on node:http. The
 * orchestrator polls the port every 5 ms from the other core.
 */
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuMicros } from '../lib/processes.ts';
import type { RunSettings, ScenarioReport } from '../lib/report-types.ts';
import { fmt } from '../lib/report-types.ts';
import { startOtlpSink } from '../lib/sink.ts';
import { median, ratio } from '../lib/stats.ts';
import { HTTP_VARIANTS, startHttpServer } from './http.ts';

const STARTUP_VARIANTS = ['bare', 'otel', 'auto', 'register', 'sightline-100'];
const SMOKE_VARIANTS = ['bare', 'otel', 'sightline-100'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function firstOk(url: string, deadline: number): Promise<void> {
  while (performance.now() < deadline) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  throw new Error(`${url} did not answer 200 in time`);
}

/** Runs the scenario. */
export async function runStartupScenario(settings: RunSettings): Promise<ScenarioReport> {
  const rounds = settings.smoke ? 1 : Math.max(5, settings.rounds);
  await using sink = await startOtlpSink();
  const variants = HTTP_VARIANTS.filter((v) => (settings.smoke ? SMOKE_VARIANTS : STARTUP_VARIANTS).includes(v.id));
  const times = new Map<string, number[]>(variants.map((v) => [v.id, []]));
  const cpu = new Map<string, number[]>(variants.map((v) => [v.id, []]));
  for (let round = 0; round < rounds; round++) {
    for (const variant of variants) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/`;
      const started = performance.now();
      const starting = startHttpServer(variant, 'node', sink.endpoint, port);
      await firstOk(url, started + 60_000);
      times.get(variant.id)!.push(performance.now() - started);
      const { server } = await starting;
      cpu.get(variant.id)!.push(cpuMicros(server.pid) / 1000);
      await server.stop();
    }
  }
  const bare = median(times.get('bare')!);
  const otel = median(times.get('otel')!);
  const figures: Record<string, number> = {};
  const rows = variants.map((variant) => {
    const ms = median(times.get(variant.id)!);
    figures[`startup.${variant.id}.ms`] = ms;
    return [variant.label, fmt(ms, 0), fmt(median(cpu.get(variant.id)!), 0), fmt(ratio(ms, bare), 2), fmt(ratio(ms, otel), 2)];
  });
  return {
    id: 'startup',
    title: 'Startup: time to the first 200',
    method:
      `The node:http server of the HTTP scenario is spawned (pinned to one core) and polled every 5 ms until it answers 200. ` +
      `Sightline runs from its TypeScript sources (\`--conditions=source\`, Node.js type stripping). ${rounds} interleaved rounds; medians.`,
    tables: [{ title: 'startup', columns: ['variant', 'ms to first 200', 'CPU ms by then', '× bare', '× plain OTel'], rows }],
    figures,
  };
}
