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
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests.',
    unit: 'seconds',
    semanticConvention: 'http.server.request.duration',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code', 'tenant_id'],
    buckets: REQUEST_DURATION_BUCKETS,
  }),
  httpServerActiveRequests: gauge({
    name: 'http_server_active_requests',
    help: 'Number of HTTP server requests in flight.',
    unit: 'requests',
    semanticConvention: 'http.server.active_requests',
    labelNames: ['http_request_method'],
  }),
  httpServerInvalidIds: counter({
    name: 'sightline_http_invalid_ids_total',
    help: 'Tenant or user ids read from HTTP requests that were ignored because they were not valid ids.',
    unit: 'ids',
    labelNames: ['field'],
  }),
  httpClientRequestDuration: histogram({
    name: 'http_client_request_duration_seconds',
    help: 'Duration of outgoing HTTP requests.',
    unit: 'seconds',
    semanticConvention: 'http.client.request.duration',
    labelNames: ['http_request_method', 'server_address', 'http_response_status_code'],
    buckets: REQUEST_DURATION_BUCKETS,
  }),
  dbClientOperationDuration: histogram({
    name: 'db_client_operation_duration_seconds',
    help: 'Duration of database client operations.',
    unit: 'seconds',
    semanticConvention: 'db.client.operation.duration',
    labelNames: ['db_system_name', 'db_operation_name', 'db_collection_name', 'error_type'],
    buckets: DB_OPERATION_BUCKETS,
  }),
  dbClientConnectionCount: gauge({
    // The current convention, db.client.connection.count, converts to a name
    // ending in _count, which Prometheus reserves for histograms and
    // summaries (promtool rejects it); its previous name is used instead.
    name: 'db_client_connections_usage',
    help: 'Number of connections in a database client pool, by state (idle, used).',
    unit: 'connections',
    semanticConvention: 'db.client.connections.usage',
    labelNames: ['db_client_connection_pool_name', 'db_client_connection_state'],
  }),
  dbClientConnectionPendingRequests: gauge({
    name: 'db_client_connection_pending_requests',
    help: 'Number of requests waiting for a connection from a database client pool.',
    unit: 'requests',
    semanticConvention: 'db.client.connection.pending_requests',
    labelNames: ['db_client_connection_pool_name'],
  }),
  messagingSentMessages: counter({
    name: 'messaging_client_sent_messages_total',
    help: 'Number of messages a producer attempted to send.',
    unit: 'messages',
    semanticConvention: 'messaging.client.sent.messages',
    labelNames: ['messaging_system', 'messaging_destination_name', 'error_type', 'tenant_id'],
  }),
  messagingConsumedMessages: counter({
    name: 'messaging_client_consumed_messages_total',
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
    name: 'messaging_process_duration_seconds',
    help: 'Duration of message handler runs.',
    unit: 'seconds',
    semanticConvention: 'messaging.process.duration',
    labelNames: ['messaging_destination_name', 'messaging_consumer_group_name', 'error_type'],
    buckets: REQUEST_DURATION_BUCKETS,
  }),
  eventLag: histogram({
    name: 'sightline_event_lag_seconds',
    help: 'Time from an event being published (its time attribute) to a handler starting on it.',
    unit: 'seconds',
    labelNames: ['messaging_destination_name', 'messaging_consumer_group_name'],
    buckets: EVENT_LAG_BUCKETS,
  }),
  eventBacklog: gauge({
    name: 'sightline_event_backlog',
    help: 'Events waiting to be processed by a consumer group, read when scraped.',
    unit: 'events',
    labelNames: ['messaging_destination_name', 'messaging_consumer_group_name'],
  }),
  eventsRejected: counter({
    name: 'sightline_events_rejected_total',
    help: 'Events refused by the bus (full queue, malformed envelope, failed validation), by reason.',
    unit: 'events',
    labelNames: ['messaging_destination_name', 'reason'],
  }),
  circuitBreakerState: gauge({
    name: 'sightline_circuit_breaker_state',
    help: 'Circuit breaker state as a state set: 1 for the current state, 0 for the others.',
    unit: '',
    labelNames: ['breaker', 'state'],
    states: ['closed', 'open', 'half_open'],
  }),
  circuitBreakerTransitions: counter({
    name: 'sightline_circuit_breaker_transitions_total',
    help: 'Circuit breaker state transitions.',
    unit: 'transitions',
    labelNames: ['breaker', 'from', 'to'],
  }),
  circuitBreakerCalls: counter({
    name: 'sightline_circuit_breaker_calls_total',
    help: 'Calls through a circuit breaker, by result (success, failure, rejected, timeout, fallback).',
    unit: 'calls',
    labelNames: ['breaker', 'result'],
  }),
  cacheRequests: counter({
    name: 'sightline_cache_requests_total',
    help: 'Cache lookups, by result (hit, miss).',
    unit: 'requests',
    labelNames: ['cache', 'result'],
  }),
  cacheLoads: counter({
    name: 'sightline_cache_loads_total',
    help: 'Values loaded on a cache miss by getOrLoad, by result (success, failure).',
    unit: 'loads',
    labelNames: ['cache', 'result'],
  }),
  cacheOperationDuration: histogram({
    name: 'sightline_cache_operation_duration_seconds',
    help: 'Duration of cache operations (get, set, delete, load).',
    unit: 'seconds',
    labelNames: ['cache', 'operation'],
    buckets: CACHE_OPERATION_BUCKETS,
  }),
  cacheEntries: gauge({
    name: 'sightline_cache_entries',
    help: 'Entries held by a cache, read when scraped.',
    unit: 'entries',
    labelNames: ['cache'],
  }),
  cacheEvictions: counter({
    name: 'sightline_cache_evictions_total',
    help: 'Entries removed from a cache, by reason (capacity, expired, deleted).',
    unit: 'entries',
    labelNames: ['cache', 'reason'],
  }),
  spanDuration: histogram({
    name: 'sightline_span_duration_seconds',
    help: 'Duration of finished spans, by span name, kind, status and module.',
    unit: 'seconds',
    labelNames: ['span_name', 'span_kind', 'status_code', 'module'],
    buckets: REQUEST_DURATION_BUCKETS,
  }),
  errors: counter({
    name: 'sightline_errors_total',
    help: 'Errors recorded on spans, by module and error type.',
    unit: 'errors',
    labelNames: ['module', 'error_type'],
  }),
  telemetrySpans: counter({
    name: 'sightline_telemetry_spans_total',
    help: 'Spans handled by the batch span processor, by outcome (exported, dropped, failed).',
    unit: 'spans',
    labelNames: ['outcome'],
  }),
  telemetrySpanQueueSize: gauge({
    name: 'sightline_telemetry_span_queue_size',
    help: 'Spans waiting in the batch span processor queue.',
    unit: 'spans',
    labelNames: [],
  }),
  metricsSeriesOverflow: counter({
    name: 'sightline_metrics_series_overflow_total',
    help: 'Observations folded into the overflow series because a metric reached its series cap.',
    unit: 'observations',
    labelNames: ['metric'],
  }),
  metricsCollectorErrors: counter({
    name: 'sightline_metrics_collector_errors_total',
    help: 'Scrape-time collector callbacks that failed and were skipped.',
    unit: 'errors',
    labelNames: ['metric'],
  }),
  metricsScrapeErrors: counter({
    name: 'sightline_metrics_scrape_errors_total',
    help: 'Scrapes of the metrics endpoint that failed to render and were answered with status 500.',
    unit: 'scrapes',
    labelNames: [],
  }),
});

/** The catalogue's keys, e.g. `'httpServerRequestDuration'`. */
export type CatalogueKey = keyof typeof catalogue;
