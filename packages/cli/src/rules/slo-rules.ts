import { catalogue } from 'sightline/metrics';
import { rate, sumBy } from '../promql/functions.ts';
import { bucketBound, buckets, matching, observations } from '../promql/selector.ts';
import { durationSeconds } from '../slo/duration.ts';
import type { ServiceObjectives } from '../slo/schema.ts';
import type { AlertSpec } from './alert.ts';
import { percent } from './alert.ts';
import type { RecordingRule, Severity } from './model.ts';

/**
 * Recording rules and multi-window, multi-burn-rate alerts from a service's
 * objectives (the scheme of Google's SRE workbook, chapter 5): an alert fires
 * when the error ratio over a long window AND over a short window both
 * exceed `burn rate x error budget`. The short window makes it stop soon
 * after the problem does.
 */

/** The name of the recorded SLI error ratio; `window` is appended: `sightline:slo_errors:ratio_rate5m`. */
export const SLO_ERROR_RATIO = 'sightline:slo_errors:ratio_rate';

/** The objective as a ratio (`0.999` for 99.9%), a constant per service and objective. */
export const SLO_OBJECTIVE = 'sightline:slo_objective:ratio';

/** The SLI over the objective's window: the share of good requests (`1 - ` the error ratio over the window). */
export const SLO_SLI = 'sightline:slo_sli:ratio';

/** The share of the error budget left over the objective's window: 1 untouched, 0 spent, below 0 overspent. */
export const SLO_ERROR_BUDGET_REMAINING = 'sightline:slo_error_budget_remaining:ratio';

/** One burn-rate condition: burning `factor` times the budget over both windows. */
interface BurnWindow {
  readonly factor: number;
  readonly long: string;
  readonly short: string;
}

/** The four conditions, two per severity. At 30 days, 14.4x for 1h spends 2% of the budget; 6x for 6h, 5%; 3x for 1d, 10%; 1x for 3d, 10%. */
const BURN_ALERTS: readonly { readonly suffix: string; readonly severity: Severity; readonly for: string; readonly windows: readonly BurnWindow[] }[] = [
  {
    suffix: 'Fast',
    severity: 'page',
    for: '2m',
    windows: [
      { factor: 14.4, long: '1h', short: '5m' },
      { factor: 6, long: '6h', short: '30m' },
    ],
  },
  {
    suffix: 'Slow',
    severity: 'ticket',
    for: '15m',
    windows: [
      { factor: 3, long: '1d', short: '2h' },
      { factor: 1, long: '3d', short: '6h' },
    ],
  },
];

/** Every window any burn condition reads, recorded once each, shortest first. */
export const BURN_RATE_WINDOWS: readonly string[] = [...new Set(BURN_ALERTS.flatMap((a) => a.windows.flatMap((w) => [w.short, w.long])))].sort(
  (a, b) => durationSeconds(a) - durationSeconds(b),
);

type Objective = 'availability' | 'latency';

/**
 * The recording rules of one service, per objective: the error ratio over
 * every burn-rate window and over the objective's own window (30d by
 * default), the objective, the SLI and the error budget left over that
 * window. Rules of a group run in order, so the last two read the
 * window's ratio recorded just before them.
 */
export function sloRecordingRules(service: ServiceObjectives): RecordingRule[] {
  return objectivesOf(service).flatMap(([objective, target, window]) => {
    const labels = { service: service.name, slo: objective };
    const windows = BURN_RATE_WINDOWS.includes(window) ? BURN_RATE_WINDOWS : [...BURN_RATE_WINDOWS, window];
    const overWindow = `${SLO_ERROR_RATIO}${window}{service="${service.name}", slo="${objective}"}`;
    return [
      ...windows.map((w) => ({ record: `${SLO_ERROR_RATIO}${w}`, expr: errorRatio(service, objective, w), labels })),
      { record: SLO_OBJECTIVE, expr: `vector(${objectiveRatio(target)})`, labels },
      { record: SLO_SLI, expr: `1 - ${overWindow}`, labels },
      { record: SLO_ERROR_BUDGET_REMAINING, expr: `1 - ${overWindow} / ${errorBudget(target)}`, labels },
    ];
  });
}

/** The burn-rate alerts of one service: a fast (page) and a slow (ticket) alert per objective. */
export function sloAlerts(service: ServiceObjectives): AlertSpec[] {
  return objectivesOf(service).flatMap(([objective, target, window]) => {
    const budget = errorBudget(target);
    const name = objective === 'availability' ? 'Availability' : 'Latency';
    const recorded = (w: string) => `${SLO_ERROR_RATIO}${w}{service="${service.name}", slo="${objective}"}`;
    return BURN_ALERTS.map((burn) => ({
      alert: `${name}ErrorBudgetBurn${burn.suffix}`,
      severity: burn.severity,
      for: burn.for,
      expr: burn.windows
        .map(
          (w) =>
            `(\n  ${recorded(w.long)} > (${w.factor} * ${budget})\nand\n  ${recorded(w.short)} > (${w.factor} * ${budget})\n)`,
        )
        .join('\nor\n'),
      signals: burn.windows.flatMap((w) => [recorded(w.long), recorded(w.short)]),
      labels: { service: service.name, slo: objective },
      summary: `${service.name} is burning its ${objective} error budget ${burn.suffix === 'Fast' ? 'fast' : 'steadily'}`,
      description:
        `${service.name} misses its ${objective} objective (${target}% over ${window}): the error ratio is ` +
        `{{ $value | humanizePercentage }}, more than ${burn.windows.map((w) => `${w.factor}x the ${percent(budget)} budget over ${w.long} and ${w.short}`).join(', or ')}.`,
    }));
  });
}

/** The objective as a ratio: 99.9 → 0.999. */
function objectiveRatio(target: number): number {
  return Number((target / 100).toPrecision(12));
}

/** The share of requests allowed to be bad: 99.9 → 0.001. */
function errorBudget(target: number): number {
  return Number((1 - target / 100).toPrecision(12));
}

function objectivesOf(service: ServiceObjectives): (readonly [Objective, number, string])[] {
  const { availability, latency } = service.objectives;
  return [
    ...(availability ? [['availability', availability.target, availability.window] as const] : []),
    ...(latency ? [['latency', latency.target, latency.window] as const] : []),
  ];
}

/** Bad requests over all requests in `window`, for one objective. Returns 0 (not nothing) while every request is good. */
function errorRatio(service: ServiceObjectives, objective: Objective, window: string): string {
  const http = catalogue.httpServerRequestDuration;
  const job = service.job ?? service.name;
  const all = sumBy(http, ['job'], rate(observations(http, { job }), window));
  if (objective === 'availability') {
    const failed = sumBy(http, ['job'], rate(observations(http, { job, http_response_status_code: matching('5..') }), window));
    return `(\n  ${failed}\nor on (job)\n  0 * ${all}\n)\n/\n${all}`;
  }
  const threshold = durationSeconds(service.objectives.latency?.threshold ?? '0s');
  const fast = sumBy(http, ['job'], rate(buckets(http, { job, le: bucketBound(threshold) }), window));
  return `1 - (\n  ${fast}\n/\n  ${all}\n)`;
}
