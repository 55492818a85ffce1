import assert from 'node:assert/strict';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { generateDashboards, generateRules, loadSloFile, renderDashboard, renderRules, resolveThresholds } from 'sightline-cli';
import type { RuleFile } from 'sightline-cli';
import { OPS_RULES_COMMAND, REGENERATE, ROOT, run } from './support/repo.ts';

const read = (path: string) => readFile(join(ROOT, path), 'utf8');

interface PromtoolTests {
  tests: { name: string; alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
}

describe('committed ops/ files', () => {
  it('ops/prometheus/rules.yml is what the generator makes from ops/slo.yml', async () => {
    const expected = renderRules(generateRules(await loadSloFile(join(ROOT, 'ops/slo.yml'))).file, OPS_RULES_COMMAND);
    assert.ok(expected === (await read('ops/prometheus/rules.yml')), `ops/prometheus/rules.yml is stale; run \`${REGENERATE}\` and commit the result`);
  });

  it('ops/grafana/dashboards/ holds exactly what the generator makes', async () => {
    const slo = await loadSloFile(join(ROOT, 'ops/slo.yml'));
    const shop = slo.services.find((service) => service.name === 'shop');
    const generated = generateDashboards({ service: 'shop', thresholds: resolveThresholds(shop?.thresholds) });
    assert.deepEqual((await readdir(join(ROOT, 'ops/grafana/dashboards'))).sort(), generated.map((d) => d.file).sort());
    for (const dashboard of generated) {
      const committed = await read(join('ops/grafana/dashboards', dashboard.file));
      assert.ok(committed === renderDashboard(dashboard), `ops/grafana/dashboards/${dashboard.file} is stale; run \`${REGENERATE}\` and commit the result`);
    }
  });

  it('promtool accepts the rules and the Prometheus config', async () => {
    const rules = await run('promtool', ['check', 'rules', 'ops/prometheus/rules.yml']);
    assert.equal(rules.code, 0, rules.stdout + rules.stderr);
    const config = await run('promtool', ['check', 'config', 'ops/prometheus.yml']);
    assert.equal(config.code, 0, config.stdout + config.stderr);
  });

  it('promtool test rules passes ops/prometheus/rules.test.yml', async () => {
    const result = await run('promtool', ['test', 'rules', 'ops/prometheus/rules.test.yml']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });

  it('every alert has a promtool case that fires it and one that stays quiet', async () => {
    const rules = parse(await read('ops/prometheus/rules.yml')) as RuleFile;
    const tests = parse(await read('ops/prometheus/rules.test.yml')) as PromtoolTests;
    const cases = tests.tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const alert of alertNames(rules)) {
      const mine = cases.filter((c) => c.alertname === alert);
      assert.ok(mine.some((c) => (c.exp_alerts ?? []).length > 0), `${alert} has a firing case`);
      const quiet =
        mine.some((c) => (c.exp_alerts ?? []).length === 0) ||
        // A case that fires for one series proves the others (other label values in the same input) stay quiet.
        tests.tests.some((t) => t.name.includes('quiet') && (t.alert_rule_test ?? []).some((c) => c.alertname === alert));
      assert.ok(quiet, `${alert} has a quiet case`);
    }
  });

  it('docs/alerts.md has a runbook section for every alert, where its runbook_url points', async () => {
    const rules = parse(await read('ops/prometheus/rules.yml')) as RuleFile;
    const headings = new Set([...(await read('docs/alerts.md')).matchAll(/^## (\w+)$/gm)].map((m) => m[1]));
    for (const group of rules.groups) {
      for (const rule of group.rules) {
        if (!('alert' in rule)) continue;
        assert.ok(headings.has(rule.alert), `docs/alerts.md has a "## ${rule.alert}" section`);
        assert.equal(rule.annotations.runbook_url, `docs/alerts.md#${rule.alert.toLowerCase()}`);
        assert.match(rule.annotations.description, /\{\{ \$value/, `${rule.alert}'s description quotes the value`);
      }
    }
  });
});

describe('docker-compose.observability.yml', () => {
  it('is valid for docker-compose', async () => {
    const result = await run('docker-compose', ['-f', 'docker-compose.observability.yml', 'config', '-q']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });

  it('pins every image and mounts files that exist', async () => {
    const compose = parse(await read('docker-compose.observability.yml')) as {
      services: Record<string, { image: string; volumes?: string[]; ports?: string[]; command?: string[] }>;
    };
    assert.deepEqual(Object.keys(compose.services).sort(), ['alertmanager', 'grafana', 'jaeger', 'otel-collector', 'prometheus']);
    for (const [name, service] of Object.entries(compose.services)) {
      assert.match(service.image, /:v?\d+\.\d+\.\d+$/, `${name} pins a version`);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (source.startsWith('./')) await stat(join(ROOT, source));
      }
    }
    assert.deepEqual(compose.services['otel-collector']?.ports, ['4317:4317', '4318:4318']);
    assert.ok(compose.services.prometheus?.command?.includes('--enable-feature=exemplar-storage'));
  });

  it('runs current major releases: Collector contrib, Jaeger v2, Prometheus 3 with its OTLP receiver, Grafana 12', async () => {
    const compose = parse(await read('docker-compose.observability.yml')) as { services: Record<string, { image: string; command?: string[] }> };
    const image = (name: string) => compose.services[name]?.image ?? '';
    assert.match(image('otel-collector'), /^otel\/opentelemetry-collector-contrib:0\.\d+\.\d+$/);
    assert.match(image('jaeger'), /^jaegertracing\/jaeger:2\.\d+\.\d+$/);
    assert.match(image('prometheus'), /^prom\/prometheus:v3\.\d+\.\d+$/);
    assert.match(image('alertmanager'), /^prom\/alertmanager:v0\.\d+\.\d+$/);
    assert.match(image('grafana'), /^grafana\/grafana:12\.\d+\.\d+$/);
    assert.ok(compose.services.prometheus?.command?.includes('--web.enable-otlp-receiver'));
    assert.deepEqual(compose.services.jaeger?.command, ['--config=/etc/jaeger/config.yml']);
  });

  it('sends traces to Jaeger and metrics to Prometheus over OTLP, and Jaeger stores what it receives', async () => {
    interface Pipelines {
      service: { extensions?: string[]; pipelines: Record<string, { receivers: string[]; exporters: string[] }> };
      exporters: Record<string, { endpoint?: string; trace_storage?: string }>;
      extensions?: Record<string, unknown>;
    }
    const collector = parse(await read('ops/otel-collector.yml')) as Pipelines;
    const exporter = (signal: string) => {
      const [name] = collector.service.pipelines[signal]?.exporters ?? [];
      return collector.exporters[name ?? ''];
    };
    assert.equal(exporter('traces')?.endpoint, 'jaeger:4317');
    assert.equal(exporter('metrics')?.endpoint, 'http://prometheus:9090/api/v1/otlp');
    const jaeger = parse(await read('ops/jaeger.yml')) as Pipelines & {
      extensions: { jaeger_storage: { backends: Record<string, unknown> }; jaeger_query: { storage: { traces: string } } };
    };
    assert.deepEqual(jaeger.service.pipelines.traces?.receivers, ['otlp']);
    const storage = jaeger.exporters.jaeger_storage_exporter?.trace_storage ?? '';
    assert.ok(storage in jaeger.extensions.jaeger_storage.backends, 'the exporter writes to a configured backend');
    assert.equal(jaeger.extensions.jaeger_query.storage.traces, storage, 'the UI reads what the exporter writes');
  });

  it('provisions Prometheus with exemplar links to Jaeger, and the dashboards', async () => {
    const datasources = parse(await read('ops/grafana/provisioning/datasources/datasources.yml')) as {
      datasources: { uid: string; type: string; jsonData?: { exemplarTraceIdDestinations?: { name: string; datasourceUid: string }[] } }[];
    };
    const prometheus = datasources.datasources.find((d) => d.type === 'prometheus');
    const jaeger = datasources.datasources.find((d) => d.type === 'jaeger');
    assert.ok(prometheus && jaeger);
    assert.deepEqual(prometheus.jsonData?.exemplarTraceIdDestinations, [{ name: 'trace_id', datasourceUid: jaeger.uid }]);
    // The committed dashboards use the provisioned UIDs.
    const overview = JSON.parse(await read('ops/grafana/dashboards/overview.json')) as { templating: { list: { name: string; current?: { value: string } }[] } };
    assert.equal(overview.templating.list.find((v) => v.name === 'datasource')?.current?.value, prometheus.uid);
    assert.match(await read('ops/grafana/dashboards/overview.json'), new RegExp(`%22uid%22%3A%22${jaeger.uid}%22`));
  });
});

function alertNames(rules: RuleFile): string[] {
  return rules.groups.flatMap((g) => g.rules.flatMap((r) => ('alert' in r ? [r.alert] : [])));
}
