import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { resolveDashboardOptions } from './options.ts';
import type { DashboardOptions } from './options.ts';
import { overviewDashboard } from './overview.ts';
import { serviceInternalsDashboard } from './service-internals.ts';
import { sloDashboard } from './slo.ts';

/** One generated dashboard: its file name and the Grafana dashboard model. */
export interface GeneratedDashboard {
  /** File name under the output folder, e.g. `overview.json`. */
  readonly file: string;
  readonly dashboard: dashboard.Dashboard;
}

/** Builds the *Overview*, *Service internals* and *SLO* dashboards for `options`. */
export function generateDashboards(options: DashboardOptions = {}): readonly GeneratedDashboard[] {
  const resolved = resolveDashboardOptions(options);
  return [
    { file: 'overview.json', dashboard: numberPanels(overviewDashboard(resolved).build()) },
    { file: 'service-internals.json', dashboard: numberPanels(serviceInternalsDashboard(resolved).build()) },
    { file: 'slo.json', dashboard: numberPanels(sloDashboard(resolved).build()) },
  ];
}

/** Gives every panel a stable id (1, 2, ... in layout order), which Grafana uses in panel links. */
function numberPanels(model: dashboard.Dashboard): dashboard.Dashboard {
  return { ...model, panels: (model.panels ?? []).map((panel, index) => ({ ...panel, id: index + 1 })) };
}

/** The JSON text written for a dashboard (stable, two-space indented, newline-terminated). */
export function renderDashboard(generated: GeneratedDashboard): string {
  return `${JSON.stringify(generated.dashboard, null, 2)}\n`;
}
