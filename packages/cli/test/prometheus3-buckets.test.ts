import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { stringify } from 'yaml';
import { generateRules, parseSloFile, renderRules } from 'sightline-cli';
import { run } from './support/repo.ts';

/**
 * A client writes the 1 s bucket as `le="1"`; Prometheus 3 stores it as
 * `le="1.0"`. The latency SLO must fire on either, so promtool (2.x, which
 * keeps labels as given) is fed each spelling in turn.
 */
it('the latency SLO with a 1s threshold fires on buckets labelled le="1" and le="1.0"', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sightline-buckets-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const slo = parseSloFile('services:\n  - name: api\n    objectives:\n      latency: { target: 99, threshold: 1s }\n');
  await writeFile(join(dir, 'rules.yml'), renderRules(generateRules(slo).file, 'test'));
  const testCase = (le: string) => ({
    name: `20% of requests slower than 1s, bucket le="${le}"`,
    interval: '1m',
    input_series: [
      { series: `http_server_request_duration_seconds_bucket{job="api", le="${le}"}`, values: '0+480x180' },
      { series: 'http_server_request_duration_seconds_count{job="api"}', values: '0+600x180' },
    ],
    alert_rule_test: [
      {
        eval_time: '2h',
        alertname: 'LatencyErrorBudgetBurnFast',
        exp_alerts: [
          {
            exp_labels: { severity: 'page', service: 'api', slo: 'latency', job: 'api' },
            exp_annotations: {
              summary: 'api is burning its latency error budget fast',
              description:
                'api misses its latency objective (99% over 30d): the error ratio is 20%, more than 14.4x the 1% budget over 1h and 5m, or 6x the 1% budget over 6h and 30m.',
              runbook_url: 'docs/alerts.md#latencyerrorbudgetburnfast',
            },
          },
        ],
      },
    ],
  });
  await writeFile(join(dir, 'rules.test.yml'), stringify({ rule_files: ['rules.yml'], evaluation_interval: '1m', tests: [testCase('1'), testCase('1.0')] }));
  const result = await run('promtool', ['test', 'rules', join(dir, 'rules.test.yml')]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
});
