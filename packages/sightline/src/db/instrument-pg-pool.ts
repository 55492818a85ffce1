/** `instrumentPgPool`: query durations, connection counts and spans for a pg `Pool`. */
import { catalogue } from '../metrics/catalogue.ts';
import { defaultMetricsRegistry } from '../metrics/default-registry.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';
import { InvalidInstrumentationOptionError, UnsupportedInstrumentationTargetError } from '../errors.ts';
import { instrumentationHandle } from '../resilience/instrumentation-handle.ts';
import type { InstrumentationHandle } from '../resilience/instrumentation-handle.ts';
import { validateInstrumentationName } from '../resilience/instrumentation-name.ts';
import { hasPgAutoInstrumentation, wrapQuery } from './pg-query-wrapper.ts';
import type { PgClientLike } from './pg-query-wrapper.ts';

/** The part of a pg `Pool` this module relies on. */
export interface PgPoolLike {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  on(event: 'acquire' | 'remove', listener: (client: PgClientLike) => void): unknown;
  removeListener(event: 'acquire' | 'remove', listener: (client: PgClientLike) => void): unknown;
}

/** Options of {@link instrumentPgPool}. */
export interface InstrumentPgPoolOptions {
  /** The `db_client_connection_pool_name` label, e.g. `orders-db`. */
  readonly name: string;
  /**
   * Where the metrics go. Default: the process's default registry, which
   * telemetry serves and pushes (`defaultMetricsRegistry()`).
   */
  readonly registry?: MetricsRegistry | undefined;
  /**
   * CLIENT spans for statements. `'auto'` (default): ours only when
   * `@opentelemetry/instrumentation-pg` is not active on `pg.Client`
   * (checked per statement), so one query never gets two spans; `true` or
   * `false` force them on or off.
   */
  readonly spans?: 'auto' | boolean;
}

function isPgPool(value: unknown): value is PgPoolLike {
  const candidate = value as Partial<Record<keyof PgPoolLike | 'connect', unknown>> | null;
  return (
    typeof value === 'object' &&
    candidate !== null &&
    typeof candidate.connect === 'function' &&
    typeof candidate.on === 'function' &&
    typeof candidate.totalCount === 'number' &&
    typeof candidate.idleCount === 'number' &&
    typeof candidate.waitingCount === 'number'
  );
}

/**
 * Measures a pg `Pool`:
 *
 * - `db_client_operation_duration_seconds{db_system_name="postgresql",
 *   db_operation_name, db_collection_name, error_type}` for every statement
 *   run through the pool (`pool.query` and checked-out clients alike); the
 *   operation and table come from the SQL text (`''` when unknown), the
 *   error type is the PostgreSQL SQLSTATE (`42P01`) or the error's class;
 * - `db_client_connections_usage{db_client_connection_pool_name,
 *   db_client_connection_state}` (idle, used) and
 *   `db_client_connection_pending_requests`, read from the pool's own
 *   `totalCount`/`idleCount`/`waitingCount` when scraped;
 * - CLIENT spans with the stable database conventions and the statement's
 *   literals replaced by `?` (see {@link InstrumentPgPoolOptions.spans}).
 *
 * Clients are wrapped (their own `query`, not `pg.Client.prototype`) when
 * the pool hands them out; disposing unwraps them and removes listeners and
 * collectors.
 */
export function instrumentPgPool(pool: PgPoolLike, options: InstrumentPgPoolOptions): InstrumentationHandle {
  const name = validateInstrumentationName('name', options.name);
  if (!isPgPool(pool)) throw new UnsupportedInstrumentationTargetError('database pool', "pg's Pool");
  const spans = options.spans ?? 'auto';
  if (spans !== 'auto' && typeof spans !== 'boolean') {
    throw new InvalidInstrumentationOptionError('spans', spans, "'auto', true or false");
  }
  const registry = options.registry ?? defaultMetricsRegistry();
  const connections = registry.gauge(catalogue.dbClientConnectionCount);
  const pending = registry.gauge(catalogue.dbClientConnectionPendingRequests);
  let active = true;
  const recording = {
    duration: registry.histogram(catalogue.dbClientOperationDuration),
    spansFor: (client: PgClientLike) => (spans === 'auto' ? !hasPgAutoInstrumentation(client) : spans),
    active: () => active,
  };

  const wrapped = new Map<PgClientLike, { original: PgClientLike['query']; wrapper: PgClientLike['query']; own: boolean }>();
  const onAcquire = (client: PgClientLike): void => {
    if (wrapped.has(client)) return;
    const original = client.query;
    const wrapper = wrapQuery(client, original, recording);
    wrapped.set(client, { original, wrapper, own: Object.hasOwn(client, 'query') });
    client.query = wrapper;
  };
  const onRemove = (client: PgClientLike): void => {
    wrapped.delete(client);
  };
  pool.on('acquire', onAcquire);
  pool.on('remove', onRemove);

  const poolLabel = { db_client_connection_pool_name: name };
  const removeConnections = connections.addCollector((gauge) => {
    gauge.set({ ...poolLabel, db_client_connection_state: 'idle' }, pool.idleCount);
    gauge.set({ ...poolLabel, db_client_connection_state: 'used' }, pool.totalCount - pool.idleCount);
  });
  const removePending = pending.addCollector((gauge) => {
    gauge.set(poolLabel, pool.waitingCount);
  });

  return instrumentationHandle([
    () => {
      active = false;
      pool.removeListener('acquire', onAcquire);
      pool.removeListener('remove', onRemove);
      for (const [client, { original, wrapper, own }] of wrapped) {
        if (client.query !== wrapper) continue;
        if (own) client.query = original;
        else delete (client as { query?: unknown }).query;
      }
      wrapped.clear();
    },
    removeConnections,
    removePending,
    () => {
      connections.remove({ ...poolLabel, db_client_connection_state: 'idle' });
      connections.remove({ ...poolLabel, db_client_connection_state: 'used' });
      pending.remove(poolLabel);
    },
  ]);
}
