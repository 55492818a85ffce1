/**
 * The benchmark in smoke mode (tiny durations, one round): every scenario
 * still starts its servers and workers, drives them, exports to the live
 * OTLP sink and writes the page and the chart, so the benchmark cannot rot.
 * No figure is compared with a speed: only that each was measured.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

test('npm run bench -- --smoke measures every scenario and writes the page and the chart', { timeout: 600_000 }, async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'sightline-bench-'));
  t.after(() => rm(out, { recursive: true, force: true }));
  const json = join(out, 'figures.json');
  await run(process.execPath, ['--conditions=source', 'bench/run.ts', '--smoke', '--out', out, '--json', json], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });

  const figures = JSON.parse(await readFile(json, 'utf8')) as Record<string, number>;
  for (const variant of ['bare', 'otel', 'otel-10', 'auto', 'register', 'sightline-100', 'sightline-10', 'sightline-0']) {
    assert.ok(figures[`http.node.${variant}.cpu`]! > 0, `node:http ${variant} CPU per request measured`);
    assert.equal(figures[`http.node.${variant}.errors`], 0, `node:http ${variant} answered every request`);
  }
  assert.ok(figures['http.express.sightline-100.cpu']! > 0, 'Express with Sightline measured');
  assert.ok(figures['http.sink.requests']! > 0, 'the HTTP variants exported to the OTLP sink');
  for (const key of ['bus.memory-off-1.rate', 'bus.memory-on-20.rate', 'nats.bare.rate', 'nats.sightline-on.rate']) {
    assert.ok(figures[key]! > 0, `${key} measured`);
  }
  assert.ok(figures['bus.sink.requests']! > 0 && figures['nats.sink.requests']! > 0, 'telemetry-on bus runs exported spans');
  assert.ok(figures['export.sightline.core']! > 0 && figures['export.sink.requests']! > 0, 'the export pipeline ran against the sink');
  assert.ok(figures['scrape.10000.prometheus.ratio']! > 0, 'scrape renders compared');
  assert.ok(figures['startup.sightline-100.ms']! > 0, 'startup measured');

  const page = await readFile(join(out, 'benchmarks.md'), 'utf8');
  for (const heading of ['## Targets (issue 14)', '## HTTP', '## Event bus: memory transport', '## Event bus: NATS JetStream', '## Export pipeline', '## Scrape', '## Startup']) {
    assert.ok(page.includes(heading), `the page has ${heading}`);
  }
  assert.match(page, /--smoke/, 'the page names the command that produced it');
  const svg = await readFile(join(out, 'benchmarks.svg'), 'utf8');
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.ok((svg.match(/<rect /g) ?? []).length > 10, 'the chart has bars');
});
