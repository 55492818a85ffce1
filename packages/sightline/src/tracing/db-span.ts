/** CLIENT spans for database calls, following the database semantic conventions. */
import { SpanKind } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
} from './stable-semconv.ts';
import type { SpanResult } from './span-result.ts';
import { sanitizeSqlOnce } from './sanitized-sql.ts';
import { runInSpan } from './with-span.ts';
import { redactPgErrorText } from '../db/pg-error-text.ts';

/** Describes one database operation. */
export interface DbSpanOptions {
  /** `db.system.name`: `postgresql`, `mysql`, `redis`, … */
  readonly system: string;
  /** `db.operation.name`: `SELECT`, `INSERT`, `findAndModify`, … (low-cardinality). */
  readonly operation: string;
  /** `db.collection.name`: the table or collection. */
  readonly collection?: string;
  /**
   * The statement. Recorded as `db.query.text` after {@link sanitizeSqlOnce}
   * replaced its literals with `?`; for non-SQL systems pass text without values.
   */
  readonly statement?: string;
  /** `db.namespace`: the database (schema) name. */
  readonly namespace?: string;
  /** Extra attributes for the span. */
  readonly attributes?: Attributes;
}

const MYSQL_SYSTEMS = new Set(['mysql', 'mariadb']);

/**
 * Runs `fn` in a CLIENT span named `{operation} {collection}` (or just the
 * operation without a collection) with the `db.*` attributes; failures are
 * recorded as by `withSpan`, PostgreSQL's with the values its error text
 * quotes replaced by `?`.
 */
export function withDbSpan<T>(options: DbSpanOptions, fn: (span: Span) => T): SpanResult<T> {
  const attributes: Attributes = {
    ...options.attributes,
    [ATTR_DB_SYSTEM_NAME]: options.system,
    [ATTR_DB_OPERATION_NAME]: options.operation,
    ...(options.collection !== undefined && { [ATTR_DB_COLLECTION_NAME]: options.collection }),
    ...(options.namespace !== undefined && { [ATTR_DB_NAMESPACE]: options.namespace }),
    ...(options.statement !== undefined && {
      [ATTR_DB_QUERY_TEXT]: sanitizeSqlOnce(options.statement, { mysqlStrings: MYSQL_SYSTEMS.has(options.system) }),
    }),
  };
  const name = options.collection === undefined ? options.operation : `${options.operation} ${options.collection}`;
  return runInSpan(name, { kind: SpanKind.CLIENT, attributes }, fn, options.system === 'postgresql' ? redactPgErrorText : undefined);
}
