/**
 * The export-pipeline scenario: 10,000 spans/s for 30 s through Sightline's
 * pipeline (tenant and span-metrics processors, batch processor, OTLP
 * protobuf exporter to the live sink) against plain OpenTelemetry's: the
 * share of one core, the heap, and the spans dropped.
 */
import { SERVER_CORE, startProcess } from '../lib/processes.ts';
import type { RunSettings, ScenarioReport } from '../lib/report-types.ts';
import { fmt } from '../lib/report-types.ts';
import { startOtlpSink } from '../lib/sink.ts';
import { median } from '../lib/stats.ts';
import { otelEnv } from './http.ts';
import type { ExportRunResult, ExportRunSpec } from './export-worker.ts';

const PIPELINES = [
  { id: 'sightline', label: 'Sightline (tenant + span metrics + batch + OTLP proto)' },
  { id: 'otel', label: 'plain OpenTelemetry (NodeSDK: batch + OTLP proto)' },
] as const;

/** Runs the scenario; one round per pipeline unless more are asked for (each run is 30 s). */
export async function runExportScenario(settings: RunSettings): Promise<ScenarioReport> {
  const seconds = settings.smoke ? 0.3 : 30;
  const spansPerSecond = 10_000;
  const rounds = Math.min(settings.rounds, 1);
  await using sink = await startOtlpSink();
  const results = new Map<string, ExportRunResult[]>(PIPELINES.map((p) => [p.id, []]));
  for (let round = 0; round < rounds; round++) {
    for (const pipeline of PIPELINES) {
      const spec: ExportRunSpec = { pipeline: pipeline.id, spansPerSecond, seconds };
      const worker = startProcess('bench/scenarios/export-worker.ts', [JSON.stringify(spec)], {
        core: SERVER_CORE,
        env: { ...otelEnv(sink.endpoint), OTEL_TRACES_SAMPLER: 'always_on' },
      });
      try {
        results.get(pipeline.id)!.push(await worker.nextMessage<ExportRunResult>());
      } finally {
        await worker.stop(10_000);
      }
    }
  }
  const figures: Record<string, number> = { 'export.sink.requests': (await sink.stats()).requests };
  const rows = PIPELINES.map((pipeline) => {
    const runs = results.get(pipeline.id)!;
    const core = median(runs.map((r) => r.corePercent));
    const heap = median(runs.map((r) => r.maxHeapMB));
    const dropped = Math.max(...runs.map((r) => r.dropped));
    const spans = median(runs.map((r) => r.spans));
    Object.assign(figures, { [`export.${pipeline.id}.core`]: core, [`export.${pipeline.id}.heap`]: heap, [`export.${pipeline.id}.dropped`]: dropped });
    return [pipeline.label, fmt(spans, 0), fmt(core), fmt(heap), dropped < 0 ? 'not reported' : fmt(dropped, 0)];
  });
  return {
    id: 'export',
    title: 'Export pipeline: 10,000 spans/s',
    method:
      `A process pinned to one core starts and ends ${spansPerSecond.toLocaleString('en')} spans/s for ${seconds} s (in a tenant ` +
      'context, every span sampled) and exports them to the live OTLP sink; the default batch settings (queue 2,048, batch 512, 5 s). ' +
      'Core share is the process CPU time over the run (span creation included); heap is the largest `heapUsed` sampled every 250 ms.',
    tables: [{ title: 'export pipeline', columns: ['pipeline', 'spans', '% of one core', 'max heap MB', 'dropped'], rows }],
    figures,
  };
}
