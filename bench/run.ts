/**
 * `npm run bench`: the end-to-end benchmarks. Runs the scenarios, prints
 * each table, and writes `docs/benchmarks.md` and `docs/benchmarks.svg`.
 *
 * Flags:
 *   --only http,bus,nats,export,scrape,startup   run these scenarios only
 *   --rounds N                                   interleaved rounds (default 3)
 *   --smoke                                      tiny durations, one round (the test suite runs this)
 *   --out DIR                                    where to write the page and chart (default docs/)
 *   --json FILE                                  also write every named figure as JSON
 *   --variants bare,otel,...                     HTTP: run these variants only (ids in scenarios/http.ts)
 *   --frameworks node,express                    HTTP: on these frameworks only
 *   --rate N                                     HTTP: the fixed request rate (default 2000/s)
 *   --profile DIR                                HTTP: servers write CPU profiles of the measured runs (warm-up and
 *                                                startup left out) to DIR/<framework>-<variant>.cpuprofile
 *                                                (read them with bench/lib/profile-summary.ts)
 *
 * The orchestrator should run on the load core (scripts/bench.sh pins it
 * with taskset); servers and workers are pinned to the other.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine } from './lib/machine.ts';
import { REPO_ROOT } from './lib/processes.ts';
import { renderReport, renderTable } from './lib/report.ts';
import type { RunSettings, ScenarioReport } from './lib/report-types.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { chartOf } from './lib/chart.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    rounds: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    out: { type: 'string' },
    json: { type: 'string' },
    variants: { type: 'string' },
    frameworks: { type: 'string' },
    rate: { type: 'string' },
    profile: { type: 'string' },
  },
});

const selected = values.only?.split(',').map((id) => id.trim()) ?? SCENARIOS.map((s) => s.id);
const unknown = selected.filter((id) => !SCENARIOS.some((s) => s.id === id));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown scenario ${unknown.join(', ')}; choose from ${SCENARIOS.map((s) => s.id).join(', ')}\n`);
  process.exit(2);
}
const list = (value: string | undefined) => value?.split(',').map((item) => item.trim());
const settings: RunSettings = {
  smoke: values.smoke,
  rounds: values.smoke ? 1 : Number(values.rounds ?? 3),
  variants: list(values.variants),
  frameworks: list(values.frameworks),
  rate: values.rate === undefined ? undefined : Number(values.rate),
  profileDir: values.profile,
};
const outDir = values.out ?? join(REPO_ROOT, 'docs');
const started = new Date();
const machine = describeMachine();
const reports: ScenarioReport[] = [];
for (const scenario of SCENARIOS.filter((s) => selected.includes(s.id))) {
  process.stderr.write(`bench: ${scenario.id}...\n`);
  const scenarioStart = performance.now();
  const report = await scenario.run(settings);
  reports.push(report);
  process.stdout.write(`\n## ${report.title} (${((performance.now() - scenarioStart) / 1000).toFixed(0)} s)\n`);
  for (const table of report.tables) process.stdout.write(`\n${renderTable(table)}\n`);
}
const command = `npm run bench${process.argv.slice(2).length > 0 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
await mkdir(outDir, { recursive: true });
const chart = chartOf(reports);
// The hand-written record of profiles and cuts (their before and after figures) goes on the page as it is.
const cuts = await readFile(join(REPO_ROOT, 'bench', 'cuts.md'), 'utf8').catch(() => undefined);
await writeFile(
  join(outDir, 'benchmarks.md'),
  renderReport({ reports, machine, command, started, minutes: (Date.now() - started.getTime()) / 60000, chart: chart !== undefined, cuts }),
);
if (chart !== undefined) await writeFile(join(outDir, 'benchmarks.svg'), chart);
if (values.json !== undefined) await writeFile(values.json, JSON.stringify(Object.assign({}, ...reports.map((r) => r.figures)), null, 2));
process.stderr.write(`bench: wrote ${join(outDir, 'benchmarks.md')}\n`);
