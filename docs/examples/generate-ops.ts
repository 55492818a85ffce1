// Generates a service's dashboards and alert rules from code instead of the
// `sightline` command, e.g. inside a build step. See docs/alerting.md.
import { mkdir, writeFile } from 'node:fs/promises';
import { generateDashboards, generateRules, parseSloFile, renderDashboard, renderRules } from 'sightline-cli';

const slo = parseSloFile(`
services:
  - name: orders
    objectives:
      availability: { target: 99.9 }
      latency: { target: 99, threshold: 250ms }
`);

const { file } = generateRules(slo, { interval: '30s', runbookBase: 'https://runbooks.example.com/sightline/alerts.md' });
await mkdir('out/grafana', { recursive: true });
await writeFile('out/rules.yml', renderRules(file, 'docs/examples/generate-ops.ts'));
for (const dashboard of generateDashboards({ service: 'orders', datasource: 'prometheus', tracesDatasource: 'jaeger' })) {
  await writeFile(`out/grafana/${dashboard.file}`, renderDashboard(dashboard));
}
