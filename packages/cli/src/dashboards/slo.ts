import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { targetSeries } from '../promql/selector.ts';
import { BURN_RATE_WINDOWS, SLO_ERROR_BUDGET_REMAINING, SLO_ERROR_RATIO, SLO_OBJECTIVE, SLO_SLI } from '../rules/slo-rules.ts';
import type { ResolvedDashboardOptions } from './options.ts';
import { generatedDashboard } from './frame.ts';
import { row, statPanel, stateTimelinePanel, timeSeriesPanel } from './panels.ts';
import type { ThresholdSteps } from './panels.ts';
import { SLO_SERVICE, sloVariables } from './variables.ts';

/** The labels of the SLO recording rules. */
type SloLabel = 'service' | 'slo';

const ofService = { service: `$${SLO_SERVICE}` } as const;

/** Budget left: red once spent, orange in its last quarter. */
const BUDGET_LEFT: ThresholdSteps = { base: 'red', steps: [{ value: 0, color: 'orange' }, { value: 0.25, color: 'green' }] };

/** Burn rates: 1 spends the budget exactly over the window; 6 and 14.4 are where the alerts page (with their short windows). */
const BURN: ThresholdSteps = {
  base: 'green',
  steps: [
    { value: 1, color: 'yellow' },
    { value: 6, color: 'orange' },
    { value: 14.4, color: 'red' },
  ],
};

/**
 * The *SLO* dashboard, from the SLO recording rules of `sightline rules`:
 * per objective of the selected service, the error budget left and the SLI
 * over the objective's window, the burn rate over each alert window, and
 * the state of the service's SLO alerts.
 */
export function sloDashboard(options: ResolvedDashboardOptions): dashboard.DashboardBuilder {
  const recorded = (name: string) => targetSeries<SloLabel>(name, ofService);
  const burnRate = (window: string) =>
    `${recorded(`${SLO_ERROR_RATIO}${window}`)}\n/ on (service, slo) group_left ()\n(1 - ${recorded(SLO_OBJECTIVE)})`;
  const alerts = (state: string) =>
    `max by (alertname) (${targetSeries<SloLabel | 'alertstate'>('ALERTS', { ...ofService, slo: { op: '=~', value: '.+' }, alertstate: state })})`;
  return generatedDashboard(
    {
      title: 'SLO',
      uid: 'slo',
      description: "Error budget, SLI and burn rates of one service's objectives, and its SLO alerts, from the recording rules of `sightline rules`",
      tags: ['slo'],
      refresh: '1m',
      from: 'now-7d',
      variables: sloVariables(options),
    },
    options,
  )
    .withRow(row('Objectives over their window'))
    .withPanel(
      statPanel({
        title: 'Error budget remaining',
        description: 'Share of each objective\'s error budget not yet spent over its window (30 days unless the SLO file says otherwise). Below 0 the objective is missed.',
        unit: 'percentunit',
        decimals: 1,
        thresholds: BUDGET_LEFT,
        queries: [{ expr: recorded(SLO_ERROR_BUDGET_REMAINING), legend: '{{slo}}' }],
      }),
    )
    .withPanel(
      statPanel({
        title: 'SLI and objective',
        description: 'Share of good requests over each objective\'s window, beside the objective it must stay at or above.',
        unit: 'percentunit',
        decimals: 3,
        queries: [
          { expr: recorded(SLO_SLI), legend: '{{slo}} SLI' },
          { expr: recorded(SLO_OBJECTIVE), legend: '{{slo}} objective' },
        ],
      }),
    )
    .withRow(row('Burn rate and alerts'))
    .withPanel(
      timeSeriesPanel({
        title: 'Burn rate',
        description:
          'How fast each objective spends its budget, over each window the alerts read: 1 spends it exactly over the objective\'s window. ' +
          'The fast alert pages at 14.4 (1h and 5m) or 6 (6h and 30m); the slow one files a ticket at 3 (1d and 2h) or 1 (3d and 6h).',
        unit: 'suffix:x',
        thresholds: BURN,
        queries: BURN_RATE_WINDOWS.map((window) => ({ expr: burnRate(window), legend: `{{slo}} ${window}` })),
      }),
    )
    .withPanel(
      stateTimelinePanel({
        title: 'SLO alerts',
        description: 'The service\'s alerts that belong to an objective (burn rates, and the threshold tickets of the same SLO), pending or firing.',
        unit: 'short',
        values: { '1': { text: 'pending', color: 'orange' }, '2': { text: 'firing', color: 'red' } },
        queries: [{ expr: `${alerts('firing')} * 2\nor\n${alerts('pending')}`, legend: '{{alertname}}' }],
      }),
    );
}
