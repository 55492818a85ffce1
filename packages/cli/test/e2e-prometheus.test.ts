import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { VariableType } from '@grafana/grafana-foundation-sdk/dashboard';
import { catalogue } from 'sightline/metrics';
import { generateDashboards, generateRules, parseSloFile, renderRules } from 'sightline-cli';
import type { RecordingRule } from 'sightline-cli';
import { createTrafficFixture } from './support/traffic-fixture.ts';
import { poll } from './support/daemon.ts';
import { startPrometheus } from './support/prometheus.ts';

/** What Grafana would put in for the variables: the fixture's job (and SLO service), every instance and route. */
const VARIABLES: Readonly<Record<string, string>> = {
  $job: 'shop',
  $service: 'shop',
  $instance: '.*',
  $route: '.*',
  $__rate_interval: '1m',
  $__range: '5m',
};

/** A 1s latency threshold: the SLI selects its bucket as le=~"1|1\\.0", proven here on a live Prometheus scraping the real exporter. */
const SLO = parseSloFile(`
services:
  - name: shop
    objectives:
      availability: { target: 99.9 }
      latency: { target: 99, threshold: 1s }
`);

test('dashboards and rules against a real Prometheus scraping a service under load', { timeout: 180_000 }, async (t) => {
  const fixture = createTrafficFixture();
  const server = createServer((request, response) => {
    const format = request.headers.accept?.includes('application/openmetrics-text') === true ? 'openmetrics' : 'prometheus';
    fixture.registry.render(format).then(
      (text) => response.writeHead(200, { 'content-type': fixture.registry.contentType(format) }).end(text),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const { port } = server.address() as AddressInfo;

  // Load: 20 requests every 50 ms (about 400 per second), for at most three minutes.
  let ticks = 0;
  const load = setInterval(() => {
    if (++ticks > 3600) clearInterval(load);
    fixture.tick(20);
  }, 50);
  t.after(() => clearInterval(load));
  fixture.tick(20);

  const dir = await mkdtemp(join(tmpdir(), 'sightline-e2e-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const rules = generateRules(SLO, { interval: '1s', maxFor: '2s' });
  const prometheus = await startPrometheus(
    dir,
    `global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [rules.yml]
scrape_configs:
  - job_name: shop
    static_configs: [{ targets: ['127.0.0.1:${port}'] }]
`,
    { 'rules.yml': renderRules(rules.file, 'e2e test') },
  );
  t.after(() => prometheus.stop());

  /** Polls `expr` until it returns at least one series (rates need two scrapes; recording rules a few evaluations). */
  const returnsData = (expr: string) =>
    poll(`data from ${expr}`, 30_000, async () => {
      const result = await prometheus.query(expr);
      return result.length > 0 ? result : undefined;
    });

  await t.test('the fixture exposes every catalogue metric', async () => {
    const text = await fixture.registry.render('prometheus');
    for (const definition of Object.values(catalogue)) assert.match(text, new RegExp(`^${definition.name}`, 'm'), definition.name);
  });

  await t.test('Prometheus scrapes the fixture, with exemplars', async () => {
    await returnsData('up{job="shop"} == 1');
    const exemplars = await poll('exemplars', 30_000, async () => {
      const data = await prometheus.api<{ exemplars: { labels: Record<string, string> }[] }[]>(
        `/api/v1/query_exemplars?query=${encodeURIComponent(`${catalogue.httpServerRequestDuration.name}_bucket`)}&start=${Date.now() / 1000 - 300}&end=${Date.now() / 1000}`,
      );
      return data.flatMap((series) => series.exemplars).find((exemplar) => exemplar.labels.trace_id !== undefined);
    });
    assert.match(exemplars.labels.trace_id ?? '', /^[0-9a-f]{32}$/);
  });

  /** Queries of the alerts' state: they return data only once an alert is pending or firing, so they are checked after the faults. */
  const alertStateQueries: string[] = [];

  await t.test('every dashboard query returns data with its variables filled in', async (st) => {
    for (const { file, dashboard } of generateDashboards({ service: 'shop' })) {
      for (const variable of dashboard.templating?.list ?? []) {
        if (variable.type !== VariableType.Query || typeof variable.query !== 'string') continue;
        const values = await poll(`${file} variable ${variable.name}`, 30_000, async () => {
          const found = await variableValues(variable.query as string, variable.regex);
          return found.length > 0 ? found : undefined;
        });
        assert.ok(values.length > 0, `${file}: variable ${variable.name} has values`);
        if (variable.name === 'service_name') assert.deepEqual(values, ['shop'], 'without target_info, the service.name of a job is the job');
      }
      for (const panel of dashboard.panels ?? []) {
        const targets = 'targets' in panel ? (panel.targets ?? []) : [];
        if (panel.type !== 'row') assert.ok(targets.length > 0, `${file}: panel ${panel.title} has queries`);
        for (const target of targets) {
          const expr = fill(String((target as { expr?: unknown }).expr));
          if (expr.includes('ALERTS{')) {
            alertStateQueries.push(expr);
            continue;
          }
          await st.test(`${file} / ${panel.title}: ${expr}`, async () => {
            const result = await returnsData(expr);
            if (panel.type === 'bargauge') {
              // One bar per route: an instant query in the time-series format, a series per route.
              assert.deepEqual(target, { ...target, instant: true, format: 'time_series' });
              const routes = await poll(`${panel.title}: a series per route`, 30_000, async () => {
                const found = new Set((await prometheus.query(expr)).map((s) => s.metric.http_route));
                return found.size === 3 ? found : undefined;
              });
              assert.deepEqual([...routes].sort(), ['/orders', '/products', '/products/:id']);
            } else {
              assert.ok(result.length > 0);
            }
          });
        }
      }
    }
  });

  await t.test('every recording rule and every alert signal returns data; every alert expression parses', async (st) => {
    for (const group of rules.file.groups) {
      for (const rule of group.rules) {
        if ('record' in rule) {
          const recorded = rule satisfies RecordingRule;
          await returnsData(recorded.expr);
          await returnsData(`${recorded.record}{${Object.entries(recorded.labels ?? {}).map(([k, v]) => `${k}="${v}"`).join(', ')}}`);
        } else {
          await prometheus.query(rule.expr);
        }
      }
    }
    for (const { alert, signals } of rules.alertSignals) {
      for (const signal of signals) {
        await st.test(`${alert}: ${signal}`, async () => {
          await returnsData(signal);
        });
      }
    }
  });

  await t.test('faults make the matching alerts fire', async () => {
    const faultAlerts = ['CircuitBreakerOpen', 'HttpServerErrorRatioHigh', 'AvailabilityErrorBudgetBurnFast', 'EventBacklogHigh', 'EventLagHigh'];
    // Quiet before the faults. Only the alerts on gauges and on the lag histogram are checked here: the HTTP
    // ratios are computed over 5m..1h windows that hold a few seconds of data at this point, which is noise;
    // their quiet cases (including the traffic floor) are proven by promtool in ops/prometheus/rules.test.yml.
    const quietBefore = ['CircuitBreakerOpen', 'EventBacklogHigh', 'EventLagHigh'];
    const before = await prometheus.alerts();
    assert.deepEqual(before.filter((a) => quietBefore.includes(a.labels.alertname ?? '')), []);

    fixture.openBreaker();
    fixture.serverErrorBurst();
    fixture.stickConsumer();
    await poll(`alerts ${faultAlerts.join(', ')} to fire`, 90_000, async () => {
      const firing = new Set((await prometheus.alerts()).filter((a) => a.state === 'firing').map((a) => a.labels.alertname));
      return faultAlerts.every((name) => firing.has(name)) ? firing : undefined;
    });
    const breaker = (await prometheus.alerts()).find((a) => a.labels.alertname === 'CircuitBreakerOpen');
    assert.equal(breaker?.labels.breaker, 'payments');
    assert.equal(breaker.labels.severity, 'ticket');

    // The SLO dashboard's alert panel shows the firing SLO alerts (value 2: firing).
    assert.ok(alertStateQueries.length > 0, 'the SLO dashboard has an alert-state panel');
    for (const expr of alertStateQueries) {
      const shown = await returnsData(expr);
      assert.ok(
        shown.some((s) => s.metric.alertname === 'AvailabilityErrorBudgetBurnFast' && s.value[1] === '2'),
        `${expr} shows AvailabilityErrorBudgetBurnFast firing: ${JSON.stringify(shown)}`,
      );
    }
  });

  /** The values a Grafana query variable finds: `label_values(selector, label)`, or `query_result(expr)` through its regex. */
  async function variableValues(query: string, regex: string | undefined): Promise<string[]> {
    const labelValues = /^label_values\((.+), (\w+)\)$/.exec(query);
    if (labelValues !== null) {
      const [, selector = '', label = ''] = labelValues;
      const series = await prometheus.api<Record<string, string>[]>(`/api/v1/series?match[]=${encodeURIComponent(fill(selector))}`);
      return series.flatMap((s) => (s[label] === undefined ? [] : [s[label]]));
    }
    const queryResult = /^query_result\((.+)\)$/s.exec(query);
    assert.ok(queryResult?.[1] !== undefined && regex !== undefined, `variable query ${query} is label_values(...) or query_result(...) with a regex`);
    // Grafana matches the regex against each result written as `{labels} value timestamp`.
    const pattern = new RegExp(regex.replace(/^\/|\/$/g, ''));
    return (await prometheus.query(fill(queryResult[1]))).flatMap((s) => {
      const text = `{${Object.entries(s.metric).map(([k, v]) => `${k}="${v}"`).join(', ')}} ${s.value[1]} ${s.value[0]}`;
      const match = pattern.exec(text)?.[1];
      return match === undefined ? [] : [match];
    });
  }
});

function fill(expr: string): string {
  return expr.replaceAll(/\$\w+/g, (name) => VARIABLES[name] ?? name);
}
