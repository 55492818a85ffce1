import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { RuleFile } from 'sightline-cli';
import { run } from './support/repo.ts';

const sightline = (...args: string[]) => run(process.execPath, ['--conditions=source', 'packages/cli/bin/sightline.js', ...args]);

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sightline-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('sightline command', () => {
  for (const [why, args, message] of [
    ['no command', [], /Expected a command: dashboards, rules or dev/],
    ['dev with a bad --port', ['dev', '--port', 'http'], /Expected --port to be a whole number from 0 to 65535, got "http"/],
    ['an unknown command', ['deploy'], /Unknown command "deploy"/],
    ['dashboards without --out', ['dashboards'], /Missing --out/],
    ['rules without --slo', ['rules', '--out', 'x.yml'], /Missing --slo/],
    ['an unknown option', ['dashboards', '--out', 'x', '--colour', 'red'], /Unknown option '--colour'/],
    ['an unknown --traces backend', ['dashboards', '--out', 'x', '--traces', 'zipkin'], /Expected --traces to be one of jaeger, tempo, got "zipkin"/],
    ['a bad --interval', ['rules', '--slo', 'ops/slo.yml', '--out', '/nonexistent/r.yml', '--interval', 'soon'], /interval .*got "soon"/],
    ['a relative --runbook-base', ['rules', '--slo', 'ops/slo.yml', '--out', '/nonexistent/r.yml', '--runbook-base', 'docs/alerts.md'], /runbookBase to be an absolute http\(s\) URL .*got "docs\/alerts.md"/],
  ] as const) {
    it(`exits 2 with the usage on ${why}`, async () => {
      const result = await sightline(...args);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /Usage:/);
    });
  }

  it('prints the usage on help', async () => {
    const result = await sightline('help');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /sightline dashboards --out DIR/);
  });

  it('writes both dashboards for the given service and datasources', async (t) => {
    const dir = await tempDir(t);
    const result = await sightline('dashboards', '--out', dir, '--service', 'orders', '--datasource', 'prom-eu', '--traces-datasource', 'tempo');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((await readdir(dir)).sort(), ['overview.json', 'service-internals.json', 'slo.json']);
    const overview = JSON.parse(await readFile(join(dir, 'overview.json'), 'utf8')) as {
      uid: string;
      templating: { list: { name: string; current?: { value: string } }[] };
    };
    assert.equal(overview.uid, 'sightline-overview-orders');
    assert.equal(overview.templating.list.find((v) => v.name === 'job')?.current?.value, 'orders');
    assert.equal(overview.templating.list.find((v) => v.name === 'datasource')?.current?.value, 'prom-eu');
    assert.match(await readFile(join(dir, 'overview.json'), 'utf8'), /%22uid%22%3A%22tempo%22/);
  });

  it('links traces in the query model of the backend, by the service_name variable', async (t) => {
    const link = async (...args: string[]) => {
      const dir = await tempDir(t);
      const result = await sightline('dashboards', '--out', dir, ...args);
      assert.equal(result.code, 0, result.stderr);
      const text = await readFile(join(dir, 'overview.json'), 'utf8');
      const url = /"url": "\/explore\?left=([^"]+)"/.exec(text)?.[1];
      assert.ok(url !== undefined, 'a link to Explore');
      return JSON.parse(decodeURIComponent(url)) as { queries: Record<string, unknown>[] };
    };
    const jaeger = await link();
    assert.deepEqual(jaeger.queries[0], { refId: 'A', datasource: { type: 'jaeger', uid: 'jaeger' }, queryType: 'search', service: '${service_name}' });
    const tempo = await link('--traces', 'tempo', '--traces-datasource', 'tempo-eu');
    assert.deepEqual(tempo.queries[0], {
      refId: 'A',
      datasource: { type: 'tempo', uid: 'tempo-eu' },
      queryType: 'traceql',
      query: '{resource.service.name="${service_name}"}',
    });
  });

  it('draws the thresholds of the --slo file\'s service on the panels', async (t) => {
    const dir = await tempDir(t);
    const slo = join(dir, 'slo.yml');
    await writeFile(slo, 'services:\n  - name: orders\n    job: orders-api\n    thresholds: { serverErrorRatio: 0.02 }\n    objectives: { availability: { target: 99.9 } }\n');
    const result = await sightline('dashboards', '--out', dir, '--service', 'orders-api', '--slo', slo);
    assert.equal(result.code, 0, result.stderr);
    const overview = JSON.parse(await readFile(join(dir, 'overview.json'), 'utf8')) as {
      panels: { title: string; fieldConfig?: { defaults?: { thresholds?: { steps: { value: number | null; color: string }[] } } } }[];
    };
    const steps = overview.panels.find((p) => p.title === 'Error ratio')?.fieldConfig?.defaults?.thresholds?.steps;
    assert.deepEqual(steps, [{ value: null, color: 'green' }, { value: 0.02, color: 'red' }]);
    const unknown = await sightline('dashboards', '--out', dir, '--service', 'billing', '--slo', slo);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Expected --service to name a service or job of .*slo\.yml \(orders\), got "billing"/);
  });

  it('writes rules for an SLO file with the given interval and for cap, which promtool accepts', async (t) => {
    const dir = await tempDir(t);
    const out = join(dir, 'rules.yml');
    const result = await sightline('rules', '--slo', 'ops/slo.yml', '--out', out, '--interval', '10s', '--max-for', '5s');
    assert.equal(result.code, 0, result.stderr);
    const file = parse(await readFile(out, 'utf8')) as RuleFile;
    assert.ok(file.groups.every((g) => g.interval === '10s'));
    const fors = file.groups.flatMap((g) => g.rules.flatMap((r) => ('alert' in r ? [r.for] : [])));
    assert.ok(fors.length > 0 && fors.every((f) => f === '5s'), fors.join(','));
    const check = await run('promtool', ['check', 'rules', out]);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.match(result.stderr, /note: runbook links will be relative \(docs\/alerts\.md#<alert>\).*runbookBase in the SLO file or pass --runbook-base/);
  });

  it("links runbooks to the SLO file's runbookBase, or to --runbook-base over it, without the note", async (t) => {
    const dir = await tempDir(t);
    const slo = join(dir, 'slo.yml');
    await writeFile(slo, `runbookBase: https://git.example.com/shop/docs/alerts.md\n${await readFile('ops/slo.yml', 'utf8')}`);
    const runbooks = async (...extra: string[]) => {
      const out = join(dir, 'rules.yml');
      const result = await sightline('rules', '--slo', slo, '--out', out, ...extra);
      assert.equal(result.code, 0, result.stderr);
      assert.doesNotMatch(result.stderr, /relative/);
      const file = parse(await readFile(out, 'utf8')) as RuleFile;
      return file.groups.flatMap((g) => g.rules.flatMap((r) => ('alert' in r ? [r.annotations.runbook_url] : [])));
    };
    const fromFile = await runbooks();
    assert.ok(fromFile.includes('https://git.example.com/shop/docs/alerts.md#targetdown'), fromFile.join(' '));
    assert.ok(fromFile.every((url) => url.startsWith('https://git.example.com/shop/docs/alerts.md#')));
    const fromFlag = await runbooks('--runbook-base', 'https://runbooks.example.com/alerts');
    assert.ok(fromFlag.every((url) => url.startsWith('https://runbooks.example.com/alerts#')), fromFlag.join(' '));
  });

  it('exits 1 naming the field and value of an invalid SLO file', async (t) => {
    const dir = await tempDir(t);
    const slo = join(dir, 'slo.yml');
    await writeFile(slo, 'services:\n  - name: shop\n    objectives:\n      latency: { target: 99, threshold: 450ms }\n');
    const result = await sightline('rules', '--slo', slo, '--out', join(dir, 'rules.yml'));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /services\[0\]\.objectives\.latency\.threshold must be a bucket boundary .*got "450ms"/);
  });
});
