import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { randomBytes } from 'node:crypto';
import { catalogue, createMetricsRegistry } from 'sightline/metrics';
import type { MetricsRegistry } from 'sightline/metrics';

/**
 * A service's worth of metrics for the end-to-end test: every catalogue
 * metric driven through the typed instruments of a real registry, one batch
 * of traffic per `tick()`, beside the process and runtime metrics that the
 * registry's default collectors (the Prometheus client's) really measure.
 * Faults change what later ticks record.
 */
export interface TrafficFixture {
  readonly registry: MetricsRegistry;
  /** Records one batch: `requests` HTTP requests and the events, queries and cache lookups they cause. */
  tick(requests: number): void;
  /** The `payments` breaker opens: state open, calls rejected. */
  openBreaker(): void;
  /** Half of the requests fail with a 500. */
  serverErrorBurst(): void;
  /** The `billing` consumer of `order.created` stops: the backlog grows, the events it starts are minutes old. */
  stickConsumer(): void;
}

const ROUTES = ['/products', '/products/:id', '/orders'] as const;

export function createTrafficFixture(): TrafficFixture {
  const registry = createMetricsRegistry();
  const c = catalogue;
  const m = {
    http: registry.histogram(c.httpServerRequestDuration),
    active: registry.gauge(c.httpServerActiveRequests),
    client: registry.histogram(c.httpClientRequestDuration),
    db: registry.histogram(c.dbClientOperationDuration),
    pool: registry.gauge(c.dbClientConnectionCount),
    poolPending: registry.gauge(c.dbClientConnectionPendingRequests),
    sent: registry.counter(c.messagingSentMessages),
    consumed: registry.counter(c.messagingConsumedMessages),
    process: registry.histogram(c.messagingProcessDuration),
    lag: registry.histogram(c.eventLag),
    backlog: registry.gauge(c.eventBacklog),
    rejected: registry.counter(c.eventsRejected),
    breakerState: registry.gauge(c.circuitBreakerState),
    transitions: registry.counter(c.circuitBreakerTransitions),
    calls: registry.counter(c.circuitBreakerCalls),
    cache: registry.counter(c.cacheRequests),
    cacheOp: registry.histogram(c.cacheOperationDuration),
    entries: registry.gauge(c.cacheEntries),
    evictions: registry.counter(c.cacheEvictions),
    spans: registry.histogram(c.spanDuration),
    errors: registry.counter(c.errors),
    telemetry: registry.counter(c.telemetrySpans),
    queue: registry.gauge(c.telemetrySpanQueueSize),
    overflow: registry.counter(c.metricsSeriesOverflow),
    collectorErrors: registry.counter(c.metricsCollectorErrors),
    scrapeErrors: registry.counter(c.metricsScrapeErrors),
    exports: registry.counter(c.metricsExports),
    invalidIds: registry.counter(c.httpServerInvalidIds),
    cacheLoads: registry.counter(c.cacheLoads),
  };
  const state = { breakerOpen: false, errorBurst: false, stuck: false, backlog: 3, count: 0 };
  const event = { messaging_destination_name: 'order.created', messaging_consumer_group_name: 'billing' };
  m.backlog.addCollector((gauge) => gauge.set(event, state.backlog));
  m.entries.addCollector((gauge) => gauge.set({ cache: 'products' }, 800));

  const setBreaker = (open: boolean) => {
    for (const s of ['closed', 'open', 'half_open']) m.breakerState.set({ breaker: 'payments', state: s }, s === (open ? 'open' : 'closed') ? 1 : 0);
  };
  setBreaker(false);
  m.transitions.inc({ breaker: 'payments', from: 'half_open', to: 'closed' });
  // Counters that only move when something goes wrong start at 0, so their series exist (and rate() to 0).
  m.telemetry.inc({ outcome: 'dropped' }, 0);
  m.telemetry.inc({ outcome: 'failed' }, 0);
  m.overflow.inc({ metric: c.httpServerRequestDuration.name }, 0);
  m.collectorErrors.inc({ metric: c.eventBacklog.name }, 0);
  m.scrapeErrors.inc({}, 0);
  m.exports.inc({ outcome: 'failure' }, 0);

  const tick = (requests: number) => {
    for (let i = 0; i < requests; i++) {
      const n = state.count++;
      const context = sampledContext();
      const route = ROUTES[n % ROUTES.length] ?? '/products';
      // 0.2% of requests fail normally (well inside every alert), half of them in a burst.
      const failed = state.errorBurst ? n % 2 === 0 : n % 500 === 250;
      const seconds = n % 200 === 0 ? 0.7 : 0.01 + (n % 20) * 0.01;
      m.http.observe(
        { http_request_method: route === '/orders' ? 'POST' : 'GET', http_route: route, http_response_status_code: failed ? 500 : 200, tenant_id: '' },
        seconds,
        context,
      );
      m.spans.observe({ span_name: `GET ${route}`, span_kind: 'server', status_code: failed ? 'error' : 'unset', module: 'catalog' }, seconds, context);
      if (failed) m.errors.inc({ module: 'catalog', error_type: 'UpstreamError' });
      m.client.observe({ http_request_method: 'GET', server_address: 'payments.internal', http_response_status_code: 200 }, 0.03, context);
      m.db.observe(
        { db_system_name: 'postgresql', db_operation_name: 'SELECT', db_collection_name: 'products', error_type: '' },
        0.002 + (n % 10) * 0.001,
        context,
      );
      const hit = n % 5 !== 0;
      m.cache.inc({ cache: 'products', result: hit ? 'hit' : 'miss' });
      m.cacheOp.observe({ cache: 'products', operation: 'get' }, 0.0002);
      if (!hit) {
        m.evictions.inc({ cache: 'products', reason: 'capacity' });
        m.cacheLoads.inc({ cache: 'products', result: n % 100 === 0 ? 'failure' : 'success' });
      }
      if (n % 1000 === 7) m.invalidIds.inc({ field: 'tenant_id' });
      m.calls.inc({ breaker: 'payments', result: state.breakerOpen ? 'rejected' : 'success' });
      m.telemetry.inc({ outcome: 'exported' });
      if (route === '/orders') publishAndConsume(n, context);
    }
    m.active.set({ http_request_method: 'GET' }, 2);
    m.pool.set({ db_client_connection_pool_name: 'main', db_client_connection_state: 'used' }, 3);
    m.pool.set({ db_client_connection_pool_name: 'main', db_client_connection_state: 'idle' }, 7);
    m.poolPending.set({ db_client_connection_pool_name: 'main' }, 0);
    m.queue.set({}, 12);
  };

  const publishAndConsume = (n: number, context: Context) => {
    m.sent.inc({ messaging_system: 'nats', messaging_destination_name: 'order.created', error_type: '', tenant_id: '' });
    if (state.stuck) {
      state.backlog += 100;
      m.lag.observe(event, 90 + (n % 30), context);
      return;
    }
    const outcome = n % 50 === 2 ? 'retry' : n % 150 === 2 ? 'dead_letter' : 'success';
    m.consumed.inc({ messaging_system: 'nats', ...event, error_type: outcome === 'success' ? '' : 'PaymentDeclined', outcome, tenant_id: '' });
    if (outcome !== 'success') m.errors.inc({ module: 'billing', error_type: 'PaymentDeclined' });
    m.process.observe({ ...event, error_type: '' }, 0.02, context);
    m.lag.observe(event, 0.05 + (n % 10) * 0.05, context);
    if (n % 90 === 2) m.rejected.inc({ messaging_destination_name: 'order.created', reason: 'malformed' });
  };

  return {
    registry,
    tick,
    openBreaker: () => {
      state.breakerOpen = true;
      setBreaker(true);
      m.transitions.inc({ breaker: 'payments', from: 'closed', to: 'open' });
    },
    serverErrorBurst: () => {
      state.errorBurst = true;
    },
    stickConsumer: () => {
      state.stuck = true;
      state.backlog = 1500;
    },
  };
}

/** A context holding a sampled span, so histograms record exemplars. */
function sampledContext(): Context {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    traceFlags: TraceFlags.SAMPLED,
  });
}
