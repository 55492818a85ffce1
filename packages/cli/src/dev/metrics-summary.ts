/**
 * What the metrics page shows, computed from the metric store over a recent
 * window the way the generated dashboards compute it in PromQL: request
 * rate, p95 and 5xx ratio by route, event lag p95 by consumer, and each
 * circuit breaker's state with its changes.
 */
import type { MetricSeries, MetricStore } from './metric-store.ts';
import { histogramQuantile, sumBy } from './prometheus-text.ts';
import type { Sample } from './prometheus-text.ts';

/** One route's row. */
export interface RouteSummary {
  readonly job: string;
  readonly route: string;
  /** Requests per second over the window. */
  readonly rate: number;
  readonly p95Ms: number | undefined;
  /** Share of 5xx answers, 0-1. */
  readonly errorRatio: number;
}

/** One consumer group's event lag. */
export interface LagSummary {
  readonly destination: string;
  readonly group: string;
  readonly events: number;
  readonly p95Ms: number | undefined;
}

/** One circuit breaker. */
export interface BreakerSummary {
  readonly breaker: string;
  readonly state: string;
  /** How often it opened (the increase of its transitions to `open`), seen even when a scrape missed the open state. */
  readonly opened: number;
  /** Each change of state seen in the store, oldest first. */
  readonly changes: readonly { readonly timeMs: number; readonly state: string }[];
}

/** The metrics page's data. */
export interface MetricsSummary {
  readonly windowSeconds: number;
  readonly routes: readonly RouteSummary[];
  readonly eventLag: readonly LagSummary[];
  readonly breakers: readonly BreakerSummary[];
  readonly series: number;
}

const REQUESTS = 'http_server_request_duration_seconds';
const LAG = 'sightline_event_lag_seconds';
const BREAKER_STATE = 'sightline_circuit_breaker_state';
const BREAKER_TRANSITIONS = 'sightline_circuit_breaker_transitions_total';

/** How much a cumulative series grew since `sinceMs` (counter resets count from zero), and over how many seconds. */
function increase(series: MetricSeries, sinceMs: number): { value: number; seconds: number } {
  const points = series.points.filter((point) => point.timeMs >= sinceMs);
  let value = 0;
  for (let i = 1; i < points.length; i++) {
    const [previous, current] = [points[i - 1]?.value ?? 0, points[i]?.value ?? 0];
    value += current >= previous ? current - previous : current;
  }
  const seconds = points.length < 2 ? 0 : ((points.at(-1)?.timeMs ?? 0) - (points[0]?.timeMs ?? 0)) / 1000;
  return { value, seconds };
}

/** The increase of every series of `name` as samples, and the longest span of time they cover. */
function increases(store: MetricStore, name: string, sinceMs: number): { samples: Sample[]; seconds: number } {
  let seconds = 0;
  const samples = store.series(name).map((series) => {
    const grown = increase(series, sinceMs);
    seconds = Math.max(seconds, grown.seconds);
    return { name, labels: series.labels, value: grown.value };
  });
  return { samples, seconds };
}

/** The summary over the last `windowSeconds` before `nowMs`. */
export function summarizeMetrics(store: MetricStore, windowSeconds = 60, nowMs = Date.now()): MetricsSummary {
  const since = nowMs - windowSeconds * 1000;
  const counts = increases(store, `${REQUESTS}_count`, since);
  const buckets = increases(store, `${REQUESTS}_bucket`, since);
  const routes: RouteSummary[] = [];
  for (const [key, total] of sumBy(counts.samples, `${REQUESTS}_count`, ['job', 'http_route'])) {
    const [job = '', route = ''] = key.split(' ');
    const errors = counts.samples
      .filter((s) => s.labels['job'] === job && s.labels['http_route'] === route && Number(s.labels['http_response_status_code']) >= 500)
      .reduce((sum, s) => sum + s.value, 0);
    const p95 = histogramQuantile(buckets.samples, REQUESTS, 0.95, { job, http_route: route });
    routes.push({
      job,
      route,
      rate: counts.seconds > 0 ? total / counts.seconds : 0,
      p95Ms: p95 === undefined ? undefined : p95 * 1000,
      errorRatio: total > 0 ? errors / total : 0,
    });
  }
  const lagCounts = increases(store, `${LAG}_count`, since);
  const lagBuckets = increases(store, `${LAG}_bucket`, since);
  const eventLag = [...sumBy(lagCounts.samples, `${LAG}_count`, ['messaging_destination_name', 'messaging_consumer_group_name'])].map(([key, events]) => {
    const [destination = '', group = ''] = key.split(' ');
    const p95 = histogramQuantile(lagBuckets.samples, LAG, 0.95, { messaging_destination_name: destination, messaging_consumer_group_name: group });
    return { destination, group, events, p95Ms: p95 === undefined ? undefined : p95 * 1000 };
  });
  return {
    windowSeconds,
    routes: routes.sort((a, b) => a.job.localeCompare(b.job) || a.route.localeCompare(b.route)),
    eventLag,
    breakers: breakerStates(store.series(BREAKER_STATE), store.series(BREAKER_TRANSITIONS)),
    series: store.size,
  };
}

/** Each breaker's current state and its changes, from the state-set gauge (one series per state, 1 for the current one). */
function breakerStates(series: readonly MetricSeries[], transitions: readonly MetricSeries[]): BreakerSummary[] {
  const byBreaker = new Map<string, Map<number, string>>();
  for (const one of series) {
    const breaker = one.labels['breaker'] ?? '';
    const state = one.labels['state'] ?? '';
    const timeline = byBreaker.get(breaker) ?? new Map<number, string>();
    byBreaker.set(breaker, timeline);
    for (const point of one.points) if (point.value === 1) timeline.set(point.timeMs, state);
  }
  return [...byBreaker].map(([breaker, timeline]) => {
    const changes: { timeMs: number; state: string }[] = [];
    for (const [timeMs, state] of [...timeline].sort(([a], [b]) => a - b)) {
      if (changes.at(-1)?.state !== state) changes.push({ timeMs, state });
    }
    const opened = transitions
      .filter((one) => one.labels['breaker'] === breaker && one.labels['to'] === 'open')
      .reduce((sum, one) => sum + increase(one, 0).value + (one.points[0]?.value ?? 0), 0);
    return { breaker, state: changes.at(-1)?.state ?? 'unknown', opened, changes };
  });
}
