// Generates a service's dashboards and alert rules from code instead of the
// `sightline` command, e.g. inside a build step. See docs/alerting.md.
import { mkdir, writeFile } from 'node:fs/promises';
import { generateDashboards, generateRules, parseSloFile, renderDashboard, renderRules, resolveThresholds } from 'sightline-cli';

const slo = parseSloFile(`
runbookBase: https://runbooks.example.com/sightline/alerts.md
services:
  - name: orders
    thresholds: { serverErrorRatio: 0.02, latencyP95: 300ms }
    objectives:
      availability: { target: 99.9 }
      latency: { target: 99, threshold: 250ms }
`);

const { file } = generateRules(slo, { interval: '30s' });
await mkdir('out/grafana', { recursive: true });
await writeFile('out/rules.yml', renderRules(file, 'docs/examples/generate-ops.ts'));
const dashboards = generateDashboards({
  service: 'orders',
  datasource: 'prometheus',
  tracesDatasource: 'tempo',
  tracesBackend: 'tempo',
  thresholds: resolveThresholds(slo.services[0]?.thresholds),
});
for (const dashboard of dashboards) {
  await writeFile(`out/grafana/${dashboard.file}`, renderDashboard(dashboard));
}
