/** The low-cardinality operation and collection of a SQL statement, for metric labels and span names. */
import { sanitizeSqlOnce } from '../tracing/sanitized-sql.ts';

/** What a statement does and to which table. */
export interface SqlSummary {
  /** The first keyword, upper-case (`SELECT`, `INSERT`, …); `''` when there is none. */
  readonly operation: string;
  /** The first table after FROM, INTO, UPDATE or JOIN, as written (`orders`, `sales.orders`); `''` when unknown. */
  readonly collection: string;
}

const IDENTIFIER = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const TABLE = new RegExp(String.raw`\b(?:FROM|INTO|UPDATE|JOIN)\s+(${IDENTIFIER}(?:\.${IDENTIFIER})*)`, 'i');
const OPERATION = /^[A-Za-z]+/;
const MAX_OPERATION_LENGTH = 32;

/**
 * Summarises `sql`. Literals and comments are removed first, so a string
 * such as `'from x'` cannot be mistaken for a table. The result is meant for
 * labels: table names come from the application's schema, not from data.
 */
export function summarizeSql(sql: string): SqlSummary {
  const text = sanitizeSqlOnce(sql);
  const operation = OPERATION.exec(text)?.[0].toUpperCase().slice(0, MAX_OPERATION_LENGTH) ?? '';
  const collection = TABLE.exec(text)?.[1] ?? '';
  return { operation, collection };
}
