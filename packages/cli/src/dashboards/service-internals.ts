import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { catalogue, runtimeMetrics } from 'sightline/metrics';
import type { Thresholds } from '../slo/thresholds.ts';
import { maxBy, quantile, rate, sumBy } from '../promql/functions.ts';
import { matching, observations, series, total } from '../promql/selector.ts';
import type { ResolvedDashboardOptions } from './options.ts';
import { generatedDashboard } from './frame.ts';
import { redAbove, row, timeSeriesPanel } from './panels.ts';
import { tracesLink } from './traces.ts';
import type { TimeSeriesSpec } from './panels.ts';
import { RATE_WINDOW, scope, variables } from './variables.ts';

const c = catalogue;
const w = RATE_WINDOW;

/**
 * The *Service internals* dashboard: event consumers, caches, the database,
 * spans and errors by module, the Node.js runtime and the telemetry
 * pipeline's own health.
 */
export function serviceInternalsDashboard(options: ResolvedDashboardOptions): dashboard.DashboardBuilder {
  const exemplars = { tracesLink: tracesLink(options) };
  const sections: readonly (readonly [string, readonly TimeSeriesSpec[]])[] = [
    ['Events', eventPanels(exemplars, options.thresholds)],
    ['Caches', cachePanels()],
    ['Database and outgoing HTTP', dependencyPanels(exemplars, options.thresholds)],
    ['Spans and errors', spanPanels()],
    ['Runtime', runtimePanels()],
    ['Telemetry health', telemetryPanels()],
  ];
  const builder = generatedDashboard(
    {
      title: 'Service internals',
      uid: 'internals',
      description: 'Event consumers, caches, database, spans, runtime and telemetry health of one service',
      variables: variables(options),
    },
    options,
  );
  for (const [title, panels] of sections) {
    builder.withRow(row(title));
    for (const panel of panels) builder.withPanel(timeSeriesPanel(panel));
  }
  return builder;
}

type Exemplars = NonNullable<TimeSeriesSpec['exemplars']>;

/** Per second, of things that have no Grafana unit of their own. */
const perSecond = (things: string) => `suffix: ${things}/s`;

function eventPanels(exemplars: Exemplars, t: Thresholds): TimeSeriesSpec[] {
  const consumer = ['messaging_destination_name', 'messaging_consumer_group_name'] as const;
  const legend = '{{messaging_destination_name}} / {{messaging_consumer_group_name}}';
  return [
    {
      title: 'Event processing duration (p95)',
      description: 'p95 of handler run time per destination and consumer group.',
      unit: 's',
      queries: [{ expr: quantile(0.95, c.messagingProcessDuration, { by: consumer, matchers: scope, window: w }), legend }],
      exemplars,
    },
    {
      title: 'Event lag (p95)',
      description: 'p95 of the time from publishing to a handler starting, per consumer group. The dashed line is the alert threshold.',
      unit: 's',
      thresholds: redAbove(t.eventLagP95Seconds),
      queries: [{ expr: quantile(0.95, c.eventLag, { by: consumer, matchers: scope, window: w }), legend }],
      exemplars,
    },
    {
      title: 'Backlog',
      description: 'Events waiting per consumer group (the largest value any instance reports: a broker backlog is seen by all). The dashed line is the alert threshold.',
      unit: 'short',
      thresholds: redAbove(t.eventBacklog),
      queries: [{ expr: maxBy(c.eventBacklog, consumer, series(c.eventBacklog, scope)), legend }],
    },
    {
      title: 'Retries, dead letters and rejections',
      description: 'Deliveries that will be retried or were dead-lettered, and events the bus refused, per second.',
      unit: units.EventsPerSecond,
      queries: [
        {
          expr: sumBy(c.messagingConsumedMessages, [...consumer, 'outcome'], rate(series(c.messagingConsumedMessages, { ...scope, outcome: matching('retry|dead_letter') }), w)),
          legend: `${legend} {{outcome}}`,
        },
        {
          expr: sumBy(c.eventsRejected, ['messaging_destination_name', 'reason'], rate(series(c.eventsRejected, scope), w)),
          legend: 'rejected {{messaging_destination_name}} ({{reason}})',
        },
      ],
    },
  ];
}

function cachePanels(): TimeSeriesSpec[] {
  return [
    {
      title: 'Cache entries',
      description: 'Entries held, summed over instances.',
      unit: 'short',
      queries: [{ expr: sumBy(c.cacheEntries, ['cache'], series(c.cacheEntries, scope)), legend: '{{cache}}' }],
    },
    {
      title: 'Cache evictions',
      description: 'Entries removed per second, by reason.',
      unit: perSecond('evictions'),
      queries: [
        {
          expr: sumBy(c.cacheEvictions, ['cache', 'reason'], rate(series(c.cacheEvictions, scope), w)),
          legend: '{{cache}} ({{reason}})',
        },
      ],
    },
    {
      title: 'Cache operation duration (p95)',
      description: 'p95 of cache operations, by cache and operation.',
      unit: 's',
      queries: [
        {
          expr: quantile(0.95, c.cacheOperationDuration, { by: ['cache', 'operation'], matchers: scope, window: w }),
          legend: '{{cache}} {{operation}}',
        },
      ],
    },
  ];
}

function dependencyPanels(exemplars: Exemplars, t: Thresholds): TimeSeriesSpec[] {
  const pool = c.dbClientConnectionCount;
  const pending = c.dbClientConnectionPendingRequests;
  return [
    {
      title: 'Database query duration (p95)',
      description: 'p95 of database operations, by operation and collection. The dashed line is the slow-query alert threshold.',
      unit: 's',
      thresholds: redAbove(t.queryP95Seconds),
      queries: [
        {
          expr: quantile(0.95, c.dbClientOperationDuration, { by: ['db_operation_name', 'db_collection_name'], matchers: scope, window: w }),
          legend: '{{db_operation_name}} {{db_collection_name}}',
        },
      ],
      exemplars,
    },
    {
      title: 'Database pool connections',
      description: 'Connections by pool and state, and requests waiting for one.',
      unit: 'short',
      queries: [
        {
          expr: sumBy(pool, ['db_client_connection_pool_name', 'db_client_connection_state'], series(pool, scope)),
          legend: '{{db_client_connection_pool_name}} {{db_client_connection_state}}',
        },
        {
          expr: sumBy(pending, ['db_client_connection_pool_name'], series(pending, scope)),
          legend: '{{db_client_connection_pool_name}} waiting',
        },
      ],
    },
    {
      title: 'Outgoing HTTP duration (p95)',
      description: 'p95 of requests this service makes, by server.',
      unit: 's',
      queries: [
        {
          expr: quantile(0.95, c.httpClientRequestDuration, { by: ['server_address'], matchers: scope, window: w }),
          legend: '{{server_address}}',
        },
      ],
      exemplars,
    },
    {
      title: 'HTTP requests in flight',
      description: 'Requests being served right now, by method.',
      unit: 'short',
      queries: [
        {
          expr: sumBy(c.httpServerActiveRequests, ['http_request_method'], series(c.httpServerActiveRequests, scope)),
          legend: '{{http_request_method}}',
        },
      ],
    },
  ];
}

function spanPanels(): TimeSeriesSpec[] {
  return [
    {
      title: 'Spans by module',
      description: 'Finished spans per second, by module and status.',
      unit: perSecond('spans'),
      queries: [
        {
          expr: sumBy(c.spanDuration, ['module', 'status_code'], rate(observations(c.spanDuration, scope), w)),
          legend: '{{module}} ({{status_code}})',
        },
      ],
    },
    {
      title: 'Errors by module',
      description: 'Errors recorded on spans per second, by module and error type.',
      unit: perSecond('errors'),
      queries: [
        {
          expr: sumBy(c.errors, ['module', 'error_type'], rate(series(c.errors, scope), w)),
          legend: '{{module}} {{error_type}}',
        },
      ],
    },
  ];
}

function runtimePanels(): TimeSeriesSpec[] {
  const r = runtimeMetrics;
  return [
    {
      title: 'CPU',
      description: 'CPU seconds used per second, by instance.',
      unit: 'percentunit',
      queries: [{ expr: sumBy(r.processCpu, ['instance'], rate(series(r.processCpu, scope), w)), legend: '{{instance}}' }],
    },
    {
      title: 'Memory',
      description: 'Resident set size and V8 heap used, by instance.',
      unit: 'bytes',
      queries: [
        { expr: sumBy(r.residentMemory, ['instance'], series(r.residentMemory, scope)), legend: 'rss {{instance}}' },
        { expr: sumBy(r.heapUsed, ['instance'], series(r.heapUsed, scope)), legend: 'heap {{instance}}' },
      ],
    },
    {
      title: 'Event-loop lag (p99)',
      description: 'The p99 event-loop delay each instance measured.',
      unit: 's',
      queries: [{ expr: maxBy(r.eventLoopLagP99, ['instance'], series(r.eventLoopLagP99, scope)), legend: '{{instance}}' }],
    },
    {
      title: 'Garbage collection',
      description: 'Seconds spent in GC per second, by instance and kind.',
      unit: 'percentunit',
      queries: [{ expr: sumBy(r.gcDuration, ['instance', 'kind'], rate(total(r.gcDuration, scope), w)), legend: '{{instance}} {{kind}}' }],
    },
  ];
}

function telemetryPanels(): TimeSeriesSpec[] {
  return [
    {
      title: 'Spans exported, dropped and failed',
      description: 'Spans handled by the batch processor per second, by outcome. Anything but `exported` is lost telemetry.',
      unit: perSecond('spans'),
      queries: [
        {
          expr: sumBy(c.telemetrySpans, ['outcome'], rate(series(c.telemetrySpans, scope), w)),
          legend: '{{outcome}}',
        },
      ],
    },
    {
      title: 'Span queue',
      description: 'Spans waiting in the batch processor queue, summed over instances; a queue near its limit drops spans next.',
      unit: 'short',
      queries: [
        {
          expr: sumBy(c.telemetrySpanQueueSize, [], series(c.telemetrySpanQueueSize, scope)),
          legend: 'queued',
        },
      ],
    },
    {
      title: 'Metric overflow and collector errors',
      description: 'Observations folded into overflow series and scrape-time collectors that failed, per second.',
      unit: units.CountsPerSecond,
      queries: [
        {
          expr: sumBy(c.metricsSeriesOverflow, ['metric'], rate(series(c.metricsSeriesOverflow, scope), w)),
          legend: 'overflow {{metric}}',
        },
        {
          expr: sumBy(c.metricsCollectorErrors, ['metric'], rate(series(c.metricsCollectorErrors, scope), w)),
          legend: 'collector errors {{metric}}',
        },
      ],
    },
  ];
}
