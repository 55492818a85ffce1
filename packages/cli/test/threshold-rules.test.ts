import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateRules, parseSloFile } from 'sightline-cli';
import type { AlertingRule } from 'sightline-cli';

function alerts(slo: string): Map<string, AlertingRule> {
  const { file } = generateRules(parseSloFile(slo));
  return new Map(file.groups.flatMap((g) => g.rules.flatMap((r) => ('alert' in r ? [[r.alert, r] as const] : []))));
}

describe('threshold alerts', () => {
  it('compare against the thresholds the SLO file sets, and the defaults for the others', () => {
    const rules = alerts(`
services:
  - name: shop
    thresholds: { serverErrorRatio: 0.02, latencyP95: 300ms, minRequestRate: 5, eventLagP95: 1m, cacheHitRatio: 0.8, queryP95: 2s }
    objectives: { availability: { target: 99.9 } }
`);
    const expr = (name: string) => rules.get(name)?.expr ?? '';
    assert.match(expr('HttpServerErrorRatioHigh'), /\) > 0\.02\)\nand on \(job\)\n\(.*\) > 5\)$/s);
    assert.match(rules.get('HttpServerErrorRatioHigh')?.annotations.summary ?? '', /More than 2% of shop's requests/);
    assert.match(expr('HttpLatencyP95High'), /> 0\.3\)/);
    assert.match(rules.get('HttpLatencyP95High')?.annotations.summary ?? '', /above 300ms/);
    assert.match(expr('EventLagHigh'), /> 60$/);
    assert.match(expr('CacheHitRatioLow'), /< 0\.8\)/);
    assert.match(expr('DatabaseQueriesSlow'), /> 2\)/);
    // Not set: the defaults.
    assert.match(expr('EventBacklogHigh'), /> 1000$/);
    assert.match(expr('DatabaseQueriesSlow'), /> 0\.1\)$/);
  });

  it('page on 5xx only for a service without an availability objective; otherwise the burn-rate alert pages and the ratio is a ticket of that SLO', () => {
    const withObjective = alerts('services:\n  - name: a\n    objectives: { availability: { target: 99.9 }, latency: { target: 99, threshold: 500ms } }\n');
    assert.deepEqual(withObjective.get('HttpServerErrorRatioHigh')?.labels, { severity: 'ticket', service: 'a', slo: 'availability' });
    assert.deepEqual(withObjective.get('HttpLatencyP95High')?.labels, { severity: 'ticket', service: 'a', slo: 'latency' });
    assert.deepEqual(withObjective.get('AvailabilityErrorBudgetBurnFast')?.labels, { severity: 'page', service: 'a', slo: 'availability' });
    const latencyOnly = alerts('services:\n  - name: b\n    objectives: { latency: { target: 99, threshold: 500ms } }\n');
    assert.deepEqual(latencyOnly.get('HttpServerErrorRatioHigh')?.labels, { severity: 'page', service: 'b' });
  });

  it('page when the target vanishes from discovery (absent), not only when its scrapes fail', () => {
    const rules = alerts('services:\n  - name: a\n    job: api\n    objectives: { availability: { target: 99 } }\n');
    assert.equal(rules.get('TargetMissing')?.expr, 'absent(up{job="api"})');
    assert.equal(rules.get('TargetMissing')?.labels.severity, 'page');
  });
});
