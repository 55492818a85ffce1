import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateRules, loadSloFile } from 'sightline-cli';
import type { AlertingRule } from 'sightline-cli';
import { poll, startDaemon } from './support/daemon.ts';
import { ROOT, run } from './support/repo.ts';

/** An alert as Alertmanager's API v2 returns it. */
interface GettableAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[] };
}

describe('ops/alertmanager.yml', () => {
  it('passes amtool check-config', async () => {
    const result = await run('amtool', ['check-config', 'ops/alertmanager.yml']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });

  it('routes pages to the page receiver and everything else to the ticket receiver (amtool config routes test)', async () => {
    for (const [labels, receiver] of [
      [['alertname=TargetDown', 'severity=page', 'service=shop'], 'page'],
      [['alertname=CircuitBreakerOpen', 'severity=ticket', 'service=shop'], 'ticket'],
    ] as const) {
      const result = await run('amtool', ['config', 'routes', 'test', '--config.file=ops/alertmanager.yml', ...labels]);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.equal(result.stdout.trim(), receiver, labels.join(' '));
    }
  });

  it('inhibits only alerts that share a real slo label: a TargetDown page hides no root cause, an SLO page hides its own tickets', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'sightline-alertmanager-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const alertmanager = await startDaemon(
      '/usr/bin/prometheus-alertmanager',
      (port) => [
        `--config.file=${join(ROOT, 'ops/alertmanager.yml')}`,
        `--storage.path=${dir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        // A single instance: no gossip port to collide with other test runs.
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      '/-/ready',
    );
    t.after(() => alertmanager.stop());

    // The alerts as Prometheus would send them for the shop: the generated rules' own labels.
    const { file } = generateRules(await loadSloFile(join(ROOT, 'ops/slo.yml')));
    const rules = file.groups.flatMap((g) => g.rules.filter((r): r is AlertingRule => 'alert' in r));
    const alert = (name: string, extra: Record<string, string> = {}) => {
      const rule = rules.find((r) => r.alert === name);
      assert.ok(rule, `the rules have ${name}`);
      return { labels: { alertname: name, job: 'shop', ...rule.labels, ...extra } };
    };
    const now = Date.now();
    const posted = [
      alert('TargetDown', { instance: 'a:1' }),
      alert('CircuitBreakerOpen', { breaker: 'payments' }),
      alert('DatabaseQueriesSlow', { db_system_name: 'postgresql', db_operation_name: 'SELECT' }),
      alert('AvailabilityErrorBudgetBurnFast'),
      alert('AvailabilityErrorBudgetBurnSlow'),
      alert('HttpServerErrorRatioHigh'),
      alert('HttpLatencyP95High'),
    ].map((a) => ({ ...a, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3_600_000).toISOString() }));
    const response = await fetch(`${alertmanager.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(posted),
    });
    assert.equal(response.status, 200, await response.text());

    // The inhibitor learns of source alerts asynchronously: wait until it has seen the SLO page.
    const alerts = await poll('the availability tickets to be inhibited', 15_000, async () => {
      const list = (await (await fetch(`${alertmanager.url}/api/v2/alerts`)).json()) as GettableAlert[];
      const ticket = list.find((a) => a.labels.alertname === 'HttpServerErrorRatioHigh');
      return list.length === posted.length && ticket?.status.state === 'suppressed' ? list : undefined;
    });
    const state = (name: string) => alerts.find((a) => a.labels.alertname === name)?.status;

    // The SLO page hides the tickets about the same objective, and nothing else.
    for (const name of ['HttpServerErrorRatioHigh', 'AvailabilityErrorBudgetBurnSlow']) {
      assert.equal(state(name)?.state, 'suppressed', name);
      assert.equal(state(name)?.inhibitedBy.length, 1, name);
    }
    // A page without an objective (TargetDown) pairs with nothing: the root causes stay visible.
    for (const name of ['TargetDown', 'AvailabilityErrorBudgetBurnFast', 'CircuitBreakerOpen', 'DatabaseQueriesSlow', 'HttpLatencyP95High']) {
      assert.deepEqual(state(name), { ...state(name), state: 'active', inhibitedBy: [] }, name);
    }
  });
});
