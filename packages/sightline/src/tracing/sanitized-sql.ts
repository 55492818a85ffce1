/**
 * One sanitizing per statement: the pg query wrapper (for its metric
 * labels), `withDbSpan` (for `db.query.text`) and the pg span processor
 * all need the sanitized text of the same statement, so they share this
 * memo instead of each scanning it again. Applications run the same
 * statements over and over, so a statement seen before costs a map lookup.
 * The memo is bounded by the characters of the statements it keeps.
 */
import { sanitizeSql } from './sql-sanitizer.ts';
import type { SqlSanitizerOptions } from './sql-sanitizer.ts';

/** Characters of statements the shared memo keeps before it forgets the oldest. */
const DEFAULT_BUDGET_CHARS = 1 << 20;

/** A memoised sanitizer. */
export type CachedSqlSanitizer = (sql: string, options?: SqlSanitizerOptions) => string;

/**
 * Creates a memoised `sanitize`: a statement (with the same options) is
 * sanitized once and later calls return the same text, until the kept
 * statements exceed `budgetChars` characters and the oldest are forgotten.
 */
export function createCachedSqlSanitizer(
  sanitize: (sql: string, options?: SqlSanitizerOptions) => string = sanitizeSql,
  budgetChars = DEFAULT_BUDGET_CHARS,
): CachedSqlSanitizer {
  const memos = { standard: new Map<string, string>(), mysql: new Map<string, string>() };
  let kept = 0;
  return (sql, options = {}) => {
    const memo = options.mysqlStrings === true ? memos.mysql : memos.standard;
    const known = memo.get(sql);
    if (known !== undefined) return known;
    const sanitized = sanitize(sql, options);
    if (sql.length > budgetChars) return sanitized;
    memo.set(sql, sanitized);
    kept += sql.length;
    for (const map of [memos.standard, memos.mysql]) {
      for (const key of map.keys()) {
        if (kept <= budgetChars) break;
        map.delete(key);
        kept -= key.length;
      }
    }
    return sanitized;
  };
}

/** The process-wide memo the pg wrapper, `withDbSpan` and the pg span processor share. */
export const sanitizeSqlOnce: CachedSqlSanitizer = createCachedSqlSanitizer();
