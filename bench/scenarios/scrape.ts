/**
 * The scrape scenario: `/metrics` rendering with 1,000 and 10,000 time
 * series, Sightline's registry against the Prometheus client rendering the
 * same series, and the event-loop delay a scrape causes.
 */
import { SERVER_CORE, startProcess } from '../lib/processes.ts';
import type { RunSettings, ScenarioReport } from '../lib/report-types.ts';
import { fmt } from '../lib/report-types.ts';
import { ratio } from '../lib/stats.ts';
import type { ScrapeRunResult, ScrapeRunSpec } from './scrape-worker.ts';

const SIZES = [1_000, 10_000];
const FORMATS = ['prometheus', 'openmetrics'] as const;

/** Runs the scenario. */
export async function runScrapeScenario(settings: RunSettings): Promise<ScenarioReport> {
  const scrapes = settings.smoke ? 2 : 30;
  const figures: Record<string, number> = {};
  const rows: string[][] = [];
  for (const series of SIZES) {
    const spec: ScrapeRunSpec = { series, scrapes };
    const worker = startProcess('bench/scenarios/scrape-worker.ts', [JSON.stringify(spec)], { core: SERVER_CORE });
    let result: ScrapeRunResult;
    try {
      result = await worker.nextMessage<ScrapeRunResult>();
    } finally {
      await worker.stop();
    }
    for (const format of FORMATS) {
      const ours = result.timings[`sightline.${format}`]!;
      const theirs = result.timings[`plain.${format}`]!;
      const r = ratio(ours.renderMs, theirs.renderMs);
      Object.assign(figures, { [`scrape.${series}.${format}.ratio`]: r, [`scrape.${series}.${format}.ms`]: ours.renderMs });
      rows.push([
        `${series.toLocaleString('en')} (${result.labelSets} label sets)`,
        format,
        fmt(ours.renderMs, 2),
        fmt(theirs.renderMs, 2),
        fmt(r, 2),
        fmt(ours.maxDelayMs, 1),
        fmt(theirs.maxDelayMs, 1),
        fmt(ours.bytes / 1024, 0),
      ]);
    }
  }
  return {
    id: 'scrape',
    title: 'Scrape: rendering /metrics',
    method:
      'A process pinned to one core holds the same `http_server_request_duration_seconds` series in a Sightline registry and in a plain ' +
      '`@prometheus-io/client` registry (one per format, exemplars on for OpenMetrics) and renders them in turn, interleaved, ' +
      `${scrapes} times each, 20 ms apart. Render time is the median; the event-loop delay is the largest seen by ` +
      '`monitorEventLoopDelay` (1 ms resolution) around the renders.',
    tables: [
      {
        title: 'render time and event-loop delay',
        columns: ['series', 'format', 'Sightline ms', 'Prometheus client ms', '× client', 'Sightline max loop delay ms', 'client max loop delay ms', 'KiB'],
        rows,
      },
    ],
    figures,
  };
}
