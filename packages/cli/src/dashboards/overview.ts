import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { catalogue } from 'sightline/metrics';
import { quantile, rate, ratio, sumBy, maxBy } from '../promql/functions.ts';
import { matching, observations, series } from '../promql/selector.ts';
import type { ResolvedDashboardOptions } from './options.ts';
import { generatedDashboard } from './frame.ts';
import { redAbove, redBelow, row, stateTimelinePanel, timeSeriesPanel, topPanel, YES_NO } from './panels.ts';
import { tracesLink } from './traces.ts';
import { RANGE, RATE_WINDOW, ROUTE, scope, variables } from './variables.ts';

const http = catalogue.httpServerRequestDuration;
const SERVER_ERROR = matching('5..');

/**
 * The *Overview* dashboard: traffic, latency, errors and the health of the
 * service's dependencies at a glance.
 */
export function overviewDashboard(options: ResolvedDashboardOptions): dashboard.DashboardBuilder {
  const requests = (window: string) => rate(observations(http, { ...scope, http_route: ROUTE }), window);
  const latency = (q: number) => ({
    expr: quantile(q, http, { matchers: { ...scope, http_route: ROUTE }, window: RATE_WINDOW }),
    legend: `p${Math.round(q * 100)}`,
  });
  const t = options.thresholds;
  const builder = generatedDashboard(
    {
      title: 'Overview',
      uid: 'overview',
      description: 'Requests, latency, errors, events and dependencies of one service',
      variables: variables(options),
    },
    options,
  )
    .withRow(row('HTTP'))
    .withPanel(
      timeSeriesPanel({
        title: 'Request rate',
        description: 'Requests per second served by the selected instances and routes.',
        unit: 'reqps',
        queries: [{ expr: sumBy(http, [], requests(RATE_WINDOW)), legend: 'requests' }],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Latency',
        description: 'p50, p95 and p99 of request duration across every instance. Dots are exemplars: click one to open its trace. The dashed line is the p95 alert threshold.',
        unit: 's',
        queries: [latency(0.5), latency(0.95), latency(0.99)],
        exemplars: { tracesLink: tracesLink(options) },
        thresholds: redAbove(t.latencyP95Seconds),
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Error ratio',
        description: 'Share of requests answered with a 5xx status. The dashed line is the alert threshold.',
        unit: 'percentunit',
        thresholds: redAbove(t.serverErrorRatio),
        queries: [
          {
            expr: ratio(
              `${sumBy(http, [], rate(observations(http, { ...scope, http_route: ROUTE, http_response_status_code: SERVER_ERROR }), RATE_WINDOW))} or vector(0)`,
              sumBy(http, [], requests(RATE_WINDOW)),
            ),
            legend: '5xx ratio',
          },
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Status codes',
        description: 'Requests per second by response status code.',
        unit: 'reqps',
        stacked: true,
        queries: [{ expr: sumBy(http, ['http_response_status_code'], requests(RATE_WINDOW)), legend: '{{http_response_status_code}}' }],
      }),
    )
    .withPanel(
      topPanel({
        title: 'Top routes by traffic',
        description: 'The ten busiest routes over the dashboard time range.',
        unit: 'reqps',
        queries: [{ expr: `topk(10, ${sumBy(http, ['http_route'], requests(RANGE))})`, legend: '{{http_route}}' }],
      }),
    )
    .withPanel(
      topPanel({
        title: 'Top routes by latency (p95)',
        description: 'The ten slowest routes by p95 over the dashboard time range; red above the p95 alert threshold.',
        unit: 's',
        thresholds: redAbove(t.latencyP95Seconds),
        queries: [
          {
            expr: `topk(10, ${quantile(0.95, http, { by: ['http_route'], matchers: { ...scope, http_route: ROUTE }, window: RANGE })})`,
            legend: '{{http_route}}',
          },
        ],
      }),
    )
    .withRow(row('Events and dependencies'));
  return withDependencies(builder, options);
}

function withDependencies(builder: dashboard.DashboardBuilder, options: ResolvedDashboardOptions): dashboard.DashboardBuilder {
  const sent = catalogue.messagingSentMessages;
  const consumed = catalogue.messagingConsumedMessages;
  const breaker = catalogue.circuitBreakerState;
  const cache = catalogue.cacheRequests;
  return builder
    .withPanel(
      timeSeriesPanel({
        title: 'Event throughput',
        description: 'Events published and consumed per second, by destination.',
        unit: units.EventsPerSecond,
        queries: [
          {
            expr: sumBy(sent, ['messaging_destination_name'], rate(series(sent, scope), RATE_WINDOW)),
            legend: 'published {{messaging_destination_name}}',
          },
          {
            expr: sumBy(consumed, ['messaging_destination_name', 'outcome'], rate(series(consumed, scope), RATE_WINDOW)),
            legend: 'consumed {{messaging_destination_name}} ({{outcome}})',
          },
        ],
      }),
    )
    .withPanel(
      stateTimelinePanel({
        title: 'Circuit breaker states',
        description: 'Which state each breaker is in (the worst instance wins).',
        unit: 'short',
        values: YES_NO,
        queries: [{ expr: maxBy(breaker, ['breaker', 'state'], series(breaker, scope)), legend: '{{breaker}} {{state}}' }],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Cache hit ratio',
        description: 'Share of cache lookups that were hits, by cache. The dashed line is the alert threshold.',
        unit: 'percentunit',
        thresholds: redBelow(options.thresholds.cacheHitRatio),
        queries: [
          {
            expr: ratio(
              sumBy(cache, ['cache'], rate(series(cache, { ...scope, result: 'hit' }), RATE_WINDOW)),
              sumBy(cache, ['cache'], rate(series(cache, scope), RATE_WINDOW)),
            ),
            legend: '{{cache}}',
          },
        ],
      }),
    );
}
