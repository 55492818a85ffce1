import { catalogue } from 'sightline/metrics';
import { maxBy, quantile, rate, ratio, sumBy } from '../promql/functions.ts';
import { matching, observations, series, TARGET_UP, targetSeries } from '../promql/selector.ts';
import type { ServiceObjectives } from '../slo/schema.ts';
import type { AlertSpec } from './alert.ts';
import { milliseconds, percent, thresholdExpr } from './alert.ts';
import { resolveThresholds } from '../slo/thresholds.ts';

/**
 * The threshold alerts every service gets, beside its SLO alerts. Ratios
 * and quantiles carry a traffic floor, so one failed request in a quiet
 * hour does not page anyone. An alert about what an objective of the
 * service measures carries that objective's `slo` label and is a ticket:
 * the burn-rate alert is the page for that cause, and Alertmanager
 * inhibits the ticket while it fires.
 */

/** The threshold alerts of one service (selected by its `job`), with the thresholds its SLO file sets. */
export function thresholdAlerts(service: ServiceObjectives): AlertSpec[] {
  const job = service.job ?? service.name;
  const labels = { service: service.name };
  const t = resolveThresholds(service.thresholds);
  const w = t.window;
  const c = catalogue;
  const http = c.httpServerRequestDuration;
  const requestRate = sumBy(http, ['job'], rate(observations(http, { job }), w));
  const httpFloor = { on: ['job'], signal: requestRate, comparison: `> ${t.minRequestRate}` };
  const errorRatio = ratio(
    sumBy(http, ['job'], rate(observations(http, { job, http_response_status_code: matching('5..') }), w)),
    requestRate,
  );
  const p95 = quantile(0.95, http, { by: ['job'], matchers: { job }, window: w });
  const consumer = ['job', 'messaging_destination_name', 'messaging_consumer_group_name'] as const;
  const backlog = maxBy(c.eventBacklog, consumer, series(c.eventBacklog, { job }));
  const lag = quantile(0.95, c.eventLag, { by: consumer, matchers: { job }, window: w });
  const open = maxBy(c.circuitBreakerState, ['job', 'breaker'], series(c.circuitBreakerState, { job, state: 'open' }));
  const lookups = sumBy(c.cacheRequests, ['job', 'cache'], rate(series(c.cacheRequests, { job }), w));
  const hitRatio = ratio(sumBy(c.cacheRequests, ['job', 'cache'], rate(series(c.cacheRequests, { job, result: 'hit' }), w)), lookups);
  const db = c.dbClientOperationDuration;
  const query = ['job', 'db_system_name', 'db_operation_name'] as const;
  const queryP95 = quantile(0.95, db, { by: query, matchers: { job }, window: w });
  const queryRate = sumBy(db, query, rate(observations(db, { job }), w));
  const lostSpans = sumBy(c.telemetrySpans, ['job', 'outcome'], rate(series(c.telemetrySpans, { job, outcome: matching('dropped|failed') }), w));
  const up = targetSeries(TARGET_UP, { job });
  const { availability, latency } = service.objectives;

  return [
    {
      alert: 'HttpServerErrorRatioHigh',
      severity: availability === undefined ? 'page' : 'ticket',
      for: '2m',
      expr: thresholdExpr(errorRatio, `> ${t.serverErrorRatio}`, httpFloor),
      signals: [errorRatio, requestRate],
      labels: availability === undefined ? labels : { ...labels, slo: 'availability' },
      summary: `More than ${percent(t.serverErrorRatio)} of ${service.name}'s requests fail with a 5xx`,
      description: `{{ $value | humanizePercentage }} of the requests to job {{ $labels.job }} were answered with a 5xx status over the last ${w}.`,
    },
    {
      alert: 'HttpLatencyP95High',
      severity: 'ticket',
      for: '5m',
      expr: thresholdExpr(p95, `> ${t.latencyP95Seconds}`, httpFloor),
      signals: [p95, requestRate],
      labels: latency === undefined ? labels : { ...labels, slo: 'latency' },
      summary: `${service.name}'s p95 request latency is above ${milliseconds(t.latencyP95Seconds)}`,
      description: `The p95 request duration of job {{ $labels.job }} is {{ $value | humanizeDuration }} over the last ${w}.`,
    },
    {
      alert: 'EventBacklogHigh',
      severity: 'ticket',
      for: '5m',
      expr: thresholdExpr(backlog, `> ${t.eventBacklog}`),
      signals: [backlog],
      labels,
      summary: `More than ${t.eventBacklog} events wait for a consumer group of ${service.name}`,
      description:
        '{{ $value | humanize }} events of {{ $labels.messaging_destination_name }} wait for consumer group {{ $labels.messaging_consumer_group_name }}.',
    },
    {
      alert: 'EventLagHigh',
      severity: 'ticket',
      for: '5m',
      expr: thresholdExpr(lag, `> ${t.eventLagP95Seconds}`),
      signals: [lag],
      labels,
      summary: `Events reach ${service.name}'s handlers more than ${t.eventLagP95Seconds}s after they were published`,
      description:
        'The p95 lag of {{ $labels.messaging_destination_name }} for consumer group {{ $labels.messaging_consumer_group_name }} is {{ $value | humanizeDuration }}.',
    },
    {
      alert: 'CircuitBreakerOpen',
      severity: 'ticket',
      for: '1m',
      expr: thresholdExpr(open, '> 0'),
      signals: [open],
      labels,
      summary: `A circuit breaker of ${service.name} is open`,
      description: 'Breaker {{ $labels.breaker }} of job {{ $labels.job }} has been open for a minute: calls through it are rejected (value {{ $value }}).',
    },
    {
      alert: 'CacheHitRatioLow',
      severity: 'ticket',
      for: '10m',
      expr: thresholdExpr(hitRatio, `< ${t.cacheHitRatio}`, {
        on: ['job', 'cache'],
        signal: lookups,
        comparison: `> ${t.minCacheRequestRate}`,
      }),
      signals: [hitRatio, lookups],
      labels,
      summary: `A cache of ${service.name} answers fewer than ${percent(t.cacheHitRatio)} of lookups`,
      description: `Cache {{ $labels.cache }} of job {{ $labels.job }} has a hit ratio of {{ $value | humanizePercentage }} over the last ${w}.`,
    },
    {
      alert: 'DatabaseQueriesSlow',
      severity: 'ticket',
      for: '5m',
      expr: thresholdExpr(queryP95, `> ${t.queryP95Seconds}`, {
        on: [...query],
        signal: queryRate,
        comparison: `> ${t.minQueryRate}`,
      }),
      signals: [queryP95, queryRate],
      labels,
      summary: `${service.name}'s database queries are slow`,
      description:
        'The p95 of {{ $labels.db_system_name }} {{ $labels.db_operation_name }} operations of job {{ $labels.job }} is {{ $value | humanizeDuration }}.',
    },
    {
      alert: 'TelemetrySpansDropped',
      severity: 'ticket',
      for: '5m',
      expr: thresholdExpr(lostSpans, '> 0'),
      signals: [lostSpans],
      labels,
      summary: `${service.name} is losing spans`,
      description: 'Job {{ $labels.job }} loses {{ $value | humanize }} spans per second ({{ $labels.outcome }}): traces are incomplete.',
    },
    {
      alert: 'TargetDown',
      severity: 'page',
      for: '2m',
      expr: thresholdExpr(up, '== 0'),
      signals: [up],
      labels,
      summary: `Prometheus cannot scrape ${service.name}`,
      description: 'Target {{ $labels.instance }} of job {{ $labels.job }} has failed every scrape for 2 minutes (up = {{ $value }}).',
    },
    {
      alert: 'TargetMissing',
      severity: 'page',
      for: '5m',
      expr: `absent(${up})`,
      signals: [up],
      labels,
      summary: `Prometheus has no target for ${service.name}`,
      description: `Job ${job} has had no target for 5 minutes (absent = {{ $value }}): the service vanished from service discovery, or the scrape configuration lost it.`,
    },
  ];
}
