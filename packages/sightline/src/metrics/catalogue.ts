import { counter, gauge, histogram } from './definition.ts';
import {
  CACHE_OPERATION_BUCKETS,
  DB_OPERATION_BUCKETS,
  EVENT_LAG_BUCKETS,
  REQUEST_DURATION_BUCKETS,
} from './buckets.ts';

/**
 * Every metric Sightline produces, declared once. Semantic-convention
 * metrics use the convention's name converted the way OpenTelemetry converts
 * to Prometheus (dots to underscores, unit suffix, `_total` for counters);
 * Sightline's own start with `sightline_`. Label names are the converted
 * attribute names.
 *
 * `tenant_id` on HTTP and messaging metrics is empty (so absent in
 * Prometheus) unless a tenant-label policy allows a tenant through; tenant
 * ids are unbounded and otherwise belong on spans and exemplars only.
 */
export const catalogue = Object.freeze({
  httpServerRequestDuration: histogram({
    otelName: 'http.server.request.duration',
    otelUnit: 's',
    help: 'Duration of HTTP server requests.',
    unit: 'seconds',
    semanticConvention: 'http.server.request.duration',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code', 'tenant_id'],
    buckets: REQUEST_DURATION_BUCKETS,
  }),
  httpServerActiveRequests: gauge({
    otelName: 'http.server.active_requests',
    otelUnit: '{request}',
    help: 'Number of HTTP server requests in flight.',
    unit: 'requests',
    semanticConvention: 'http.server.active_requests',
    labelNames: ['http_request_method'],
  }),
  httpServerInvalidIds: counter({
    otelName: 'sightline.http.invalid_ids',
    otelUnit: '{id}',
    help: 'Tenant or user ids read from HTTP requests that were ignored because they were not valid ids.',
    unit: 'ids',
    labelNames: ['field'],
  }),
  httpClientRequestDuration: histogram({
    otelName: 'http.client.request.duration',
    otelUnit: 's',
    help: 'Duration of outgoing HTTP requests.',
    unit: 'seconds',
    semanticConvention: 'http.client.request.duration',
    labelNames: ['http_request_method', 'server_address', 'http_response_status_code'],
    buckets: REQUEST_DURATION_BUCKETS,
  }),
  dbClientOperationDuration: histogram({
    otelName: 'db.client.operation.duration',
    otelUnit: 's',
    help: 'Duration of database client operations.',
    unit: 'seconds',
    semanticConvention: 'db.client.operation.duration',
    labelNames: ['db_system_name', 'db_operation_name', 'db_collection_name', 'error_type'],
    buckets: DB_OPERATION_BUCKETS,
  }),
  dbClientConnectionCount: gauge({
    // The current convention, db.client.connection.count, converts to a name
    // ending in _count, which Prometheus reserves for histograms and
    // summaries (promtool rejects it); its previous name is the Prometheus
    // name, while OTLP and the OpenTelemetry API use the current one.
    otelName: 'db.client.connection.count',
    otelUnit: '{connection}',
    name: 'db_client_connections_usage',
    help: 'Number of connections in a database client pool, by state (idle, used).',
    unit: 'connections',
    semanticConvention: 'db.client.connection.count',
    labelNames: ['db_client_connection_pool_name', 'db_client_connection_state'],
  }),
  dbClientConnectionPendingRequests: gauge({
    otelName: 'db.client.connection.pending_requests',
    otelUnit: '{request}',
    help: 'Number of requests waiting for a connection from a database client pool.',
    unit: 'requests',
    semanticConvention: 'db.client.connection.pending_requests',
    labelNames: ['db_client_connection_pool_name'],
  }),
  messagingSentMessages: counter({
    otelName: 'messaging.client.sent.messages',
    otelUnit: '{message}',
    help: 'Number of messages a producer attempted to send.',
    unit: 'messages',
    semanticConvention: 'messaging.client.sent.messages',
    labelNames: ['messaging_system', 'messaging_destination_name', 'error_type', 'tenant_id'],
  }),
  messagingConsumedMessages: counter({
    otelName: 'messaging.client.consumed.messages',
    otelUnit: '{message}',
    help: 'Number of messages handed to a consumer, by outcome (success, retry, dead_letter).',
    unit: 'messages',
    semanticConvention: 'messaging.client.consumed.messages',
    labelNames: [
      'messaging_system',
      'messaging_destination_name',
      'error_type',
      'messaging_consumer_group_name',
      'outcome',
      'tenant_id',
    ],
  }),
  messagingProcessDuration: histogram({
    otelName: 'messaging.process.duration',
    otelUnit: 's',
    help: 'Duration of message handler runs.',
    unit: 'seconds',
    semanticConvention: 'messaging.process.duration',
    labelNames: ['messaging_destination_name', 'messaging_consumer_group_name', 'error_type'],
    buckets: REQUEST_DURATION_BUCKETS,
  }),
  eventLag: histogram({
    otelName: 'sightline.event.lag',
    otelUnit: 's',
    help: 'Time from an event being published (its time attribute) to a handler starting on it.',
    unit: 'seconds',
    labelNames: ['messaging_destination_name', 'messaging_consumer_group_name'],
    buckets: EVENT_LAG_BUCKETS,
  }),
  eventBacklog: gauge({
    otelName: 'sightline.event.backlog',
    otelUnit: '{event}',
    help: 'Events waiting to be processed by a consumer group, read when scraped.',
    unit: 'events',
    labelNames: ['messaging_destination_name', 'messaging_consumer_group_name'],
  }),
  eventsRejected: counter({
    otelName: 'sightline.events.rejected',
    otelUnit: '{event}',
    help: 'Events refused by the bus (full queue, malformed envelope, failed validation), by reason.',
    unit: 'events',
    labelNames: ['messaging_destination_name', 'reason'],
  }),
  circuitBreakerState: gauge({
    otelName: 'sightline.circuit_breaker.state',
    otelUnit: '',
    help: 'Circuit breaker state as a state set: 1 for the current state, 0 for the others.',
    unit: '',
    labelNames: ['breaker', 'state'],
    states: ['closed', 'open', 'half_open'],
  }),
  circuitBreakerTransitions: counter({
    otelName: 'sightline.circuit_breaker.transitions',
    otelUnit: '{transition}',
    help: 'Circuit breaker state transitions.',
    unit: 'transitions',
    labelNames: ['breaker', 'from', 'to'],
  }),
  circuitBreakerCalls: counter({
    otelName: 'sightline.circuit_breaker.calls',
    otelUnit: '{call}',
    help: 'Calls through a circuit breaker, by result (success, failure, rejected, timeout, fallback).',
    unit: 'calls',
    labelNames: ['breaker', 'result'],
  }),
  cacheRequests: counter({
    otelName: 'sightline.cache.requests',
    otelUnit: '{request}',
    help: 'Cache lookups, by result (hit, miss).',
    unit: 'requests',
    labelNames: ['cache', 'result'],
  }),
  cacheLoads: counter({
    otelName: 'sightline.cache.loads',
    otelUnit: '{load}',
    help: 'Values loaded on a cache miss by getOrLoad, by result (success, failure).',
    unit: 'loads',
    labelNames: ['cache', 'result'],
  }),
  cacheOperationDuration: histogram({
    otelName: 'sightline.cache.operation.duration',
    otelUnit: 's',
    help: 'Duration of cache operations (get, set, delete, load).',
    unit: 'seconds',
    labelNames: ['cache', 'operation'],
    buckets: CACHE_OPERATION_BUCKETS,
  }),
  cacheEntries: gauge({
    otelName: 'sightline.cache.entries',
    otelUnit: '{entry}',
    help: 'Entries held by a cache, read when scraped.',
    unit: 'entries',
    labelNames: ['cache'],
  }),
  cacheEvictions: counter({
    otelName: 'sightline.cache.evictions',
    otelUnit: '{entry}',
    help: 'Entries removed from a cache, by reason (capacity, expired, deleted).',
    unit: 'entries',
    labelNames: ['cache', 'reason'],
  }),
  spanDuration: histogram({
    otelName: 'sightline.span.duration',
    otelUnit: 's',
    help: 'Duration of finished spans, by span name, kind, status and module.',
    unit: 'seconds',
    labelNames: ['span_name', 'span_kind', 'status_code', 'module'],
    buckets: REQUEST_DURATION_BUCKETS,
  }),
  errors: counter({
    otelName: 'sightline.errors',
    otelUnit: '{error}',
    help: 'Errors recorded on spans, by module and error type.',
    unit: 'errors',
    labelNames: ['module', 'error_type'],
  }),
  telemetrySpans: counter({
    otelName: 'sightline.telemetry.spans',
    otelUnit: '{span}',
    help: 'Spans handled by the batch span processor, by outcome (exported, dropped, failed).',
    unit: 'spans',
    labelNames: ['outcome'],
  }),
  telemetrySpanQueueSize: gauge({
    otelName: 'sightline.telemetry.span_queue.size',
    otelUnit: '{span}',
    help: 'Spans waiting in the batch span processor queue.',
    unit: 'spans',
    labelNames: [],
  }),
  metricsSeriesOverflow: counter({
    otelName: 'sightline.metrics.series_overflow',
    otelUnit: '{observation}',
    help: 'Observations folded into the overflow series because a metric reached its series cap.',
    unit: 'observations',
    labelNames: ['metric'],
  }),
  metricsCollectorErrors: counter({
    otelName: 'sightline.metrics.collector_errors',
    otelUnit: '{error}',
    help: 'Scrape-time collector callbacks that failed and were skipped.',
    unit: 'errors',
    labelNames: ['metric'],
  }),
  metricsExports: counter({
    otelName: 'sightline.metrics.exports',
    otelUnit: '{export}',
    help: 'Pushes of the metrics over OTLP, by outcome (success, failure); a failed push is retried with the next one.',
    unit: 'exports',
    labelNames: ['outcome'],
  }),
  metricsScrapeErrors: counter({
    otelName: 'sightline.metrics.scrape_errors',
    otelUnit: '{scrape}',
    help: 'Scrapes of the metrics endpoint that failed to render and were answered with status 500.',
    unit: 'scrapes',
    labelNames: [],
  }),
});

/** The catalogue's keys, e.g. `'httpServerRequestDuration'`. */
export type CatalogueKey = keyof typeof catalogue;
