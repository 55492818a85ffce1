/** Wrapping `query` on one pg client so each statement is timed, labelled and (optionally) traced. */
import type { HistogramInstrument } from '../metrics/instruments.ts';
import { withDbSpan } from '../tracing/db-span.ts';
import { errorType } from '../tracing/record-error.ts';
import { summarizeSql } from './sql-summary.ts';

/** `db.system.name` of PostgreSQL. */
export const POSTGRESQL = 'postgresql';

type QueryFunction = (...args: unknown[]) => unknown;
type Callback = (error: unknown, result?: unknown) => void;
type DurationLabels = 'db_system_name' | 'db_operation_name' | 'db_collection_name' | 'error_type';

/** The part of a pg `Client` (or `PoolClient`) this module relies on. */
export interface PgClientLike {
  query: QueryFunction;
  readonly database?: string | undefined;
}

/**
 * True when `Client.prototype.query` is wrapped by an OpenTelemetry
 * instrumentation (`@opentelemetry/instrumentation-pg` marks its wrappers
 * `__wrapped`); it then makes the query spans, and ours would be duplicates.
 */
export function hasPgAutoInstrumentation(client: PgClientLike): boolean {
  const prototypeQuery = (Object.getPrototypeOf(client) as { query?: unknown } | null)?.query;
  return typeof prototypeQuery === 'function' && (prototypeQuery as { __wrapped?: unknown }).__wrapped === true;
}

function statementOf(config: unknown): string {
  if (typeof config === 'string') return config;
  const text = (config as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : '';
}

function isSubmittable(config: unknown): config is { submit: unknown; once?: (event: string, listener: (error?: unknown) => void) => unknown } {
  return typeof config === 'object' && config !== null && typeof (config as { submit?: unknown }).submit === 'function';
}

/** How {@link wrapQuery} records a statement. */
export interface QueryRecording {
  readonly duration: HistogramInstrument<DurationLabels>;
  /** Whether to make a CLIENT span for a statement on `client`. */
  spansFor(client: PgClientLike): boolean;
  /** False once the instrumentation is disposed: the wrapper then only passes calls through. */
  active(): boolean;
}

/**
 * Returns a `query` for `client` that calls `original` and records the
 * statement's duration by operation, table and error type. Promise and
 * callback styles are traced; a submittable (`pg-cursor`, `pg-query-stream`)
 * is timed from its `end`/`error` events, without a span.
 */
export function wrapQuery(client: PgClientLike, original: QueryFunction, recording: QueryRecording): QueryFunction {
  return function query(this: unknown, ...args: unknown[]): unknown {
    if (!recording.active()) return original.apply(this, args);
    const statement = statementOf(args[0]);
    const { operation, collection } = summarizeSql(statement);
    const start = performance.now();
    // The pg instrumentation records db.client.operation.duration itself (into the same metric when
    // telemetry runs), so a statement it sees is not recorded twice.
    const recordedByInstrumentation = hasPgAutoInstrumentation(client);
    const record = (error: unknown): void => {
      if (recordedByInstrumentation) return;
      recording.duration.observe(
        {
          db_system_name: POSTGRESQL,
          db_operation_name: operation,
          db_collection_name: collection,
          error_type: error === undefined ? '' : errorType(error),
        },
        (performance.now() - start) / 1000,
      );
    };

    const config = args[0];
    if (isSubmittable(config)) {
      config.once?.('end', () => record(undefined));
      config.once?.('error', (error) => record(error ?? new Error('query failed')));
      return original.apply(this, args);
    }

    const callbackIndex = args.findIndex((arg) => typeof arg === 'function');
    const userCallback = callbackIndex === -1 ? undefined : (args[callbackIndex] as Callback);
    const run = (): Promise<unknown> =>
      userCallback === undefined
        ? (original.apply(this, args) as Promise<unknown>)
        : new Promise((resolve, reject) => {
            const callArgs = [...args];
            callArgs[callbackIndex] = (error: unknown, result: unknown) => {
              if (error) reject(error instanceof Error ? error : new Error('query failed', { cause: error }));
              else resolve(result);
              userCallback(error, result);
            };
            original.apply(this, callArgs);
          });
    const traced = recording.spansFor(client)
      ? withDbSpan(
          {
            system: POSTGRESQL,
            operation: operation === '' ? 'query' : operation,
            ...(collection !== '' && { collection }),
            ...(statement !== '' && { statement }),
            ...(client.database !== undefined && { namespace: client.database }),
          },
          run,
        )
      : run();
    const measured = traced.then(
      (result) => {
        record(undefined);
        return result;
      },
      (error: unknown) => {
        record(error);
        throw error;
      },
    );
    if (userCallback === undefined) return measured;
    // The caller handles failures in its callback; this promise only carries them to the metric and span.
    measured.catch(() => undefined);
    return undefined;
  };
}
