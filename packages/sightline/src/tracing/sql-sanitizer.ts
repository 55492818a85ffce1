/**
 * Replaces the literals in SQL text with `?` so `db.query.text` keeps the
 * statement's shape but no values: string literals (with doubled-quote
 * escapes, `E'…'` backslash escapes, `N'…'`/`X'…'`/`B'…'` prefixes),
 * dollar-quoted strings (`$$…$$`, `$tag$…$tag$`), numbers (including
 * decimals, exponents and `0x…` hex) and `TRUE`/`FALSE`. Comments are
 * removed (they may carry values too), runs of whitespace become one space,
 * and a parenthesised list of nothing but literals (`IN (1, 2, 3)`,
 * `VALUES ('a', 'b')`) collapses to `(?)`. Identifiers, quoted identifiers,
 * keywords, operators, `NULL` and bind placeholders (`?`, `$1`, `:name`,
 * `@p1`) are kept. An unterminated literal or comment swallows the rest of
 * the text, so a value is never leaked by a parse error.
 *
 * It runs on the request path, so it is one linear pass over character
 * codes, and only the first {@link MAX_SANITIZED_SQL_LENGTH} characters of a
 * statement are read: the rest is dropped and {@link SQL_TRUNCATION_MARKER}
 * appended (a literal cut in two still becomes `?`).
 */

/** Options of {@link sanitizeSql}. */
export interface SqlSanitizerOptions {
  /**
   * Treat backslash as an escape in every quoted string and `"…"` as a
   * string literal, as MySQL and MariaDB do by default. Default `false`
   * (standard SQL / PostgreSQL: backslash escapes only in `E'…'`).
   */
  readonly mysqlStrings?: boolean;
}

/** Characters of a statement that are read; a longer statement is cut there. */
export const MAX_SANITIZED_SQL_LENGTH = 8192;
/** Appended to the sanitized text of a statement that was cut. */
export const SQL_TRUNCATION_MARKER = ' /* truncated */';

const STRING_PREFIXES = new Set(['e', 'n', 'x', 'b']);
const BOOLEANS = new Set(['true', 'false']);
const LITERAL_LIST = /\(\s*\?(?:\s*,\s*\?)*\s*\)/g;
const DOLLAR_TAG = /\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/y;
const DECIMAL = /(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const UNICODE_SPACE = /\s/;

const QUOTE = 39; // '
const DOUBLE_QUOTE = 34; // "
const BACKTICK = 96; // `
const BACKSLASH = 92;
const DOLLAR = 36;
const DASH = 45;
const SLASH = 47;
const STAR = 42;
const HASH = 35;
const DOT = 46;

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || (code >= 0x80 && UNICODE_SPACE.test(String.fromCharCode(code)));
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isHexDigit(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** `[A-Za-z_\u0080-\uffff]` */
function isIdentStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code >= 0x80;
}

/** `[A-Za-z0-9_$\u0080-\uffff]` */
function isIdentPart(code: number): boolean {
  return isIdentStart(code) || isDigit(code) || code === DOLLAR;
}

/** End index (exclusive) of a quoted run starting at `start` (the opening quote). */
function skipQuoted(sql: string, start: number, quote: number, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const code = sql.charCodeAt(i);
    if (backslashEscapes && code === BACKSLASH) {
      i += 2;
    } else if (code === quote) {
      if (sql.charCodeAt(i + 1) === quote) i += 2;
      else return i + 1;
    } else {
      i += 1;
    }
  }
  return sql.length;
}

/** End index of a dollar-quoted string at `start`, or -1 when `start` does not open one. */
function skipDollarQuoted(sql: string, start: number): number {
  DOLLAR_TAG.lastIndex = start;
  const tag = DOLLAR_TAG.exec(sql)?.[0];
  if (tag === undefined) return -1;
  const end = sql.indexOf(tag, start + tag.length);
  return end === -1 ? sql.length : end + tag.length;
}

function skipBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    const code = sql.charCodeAt(i);
    if (code === SLASH && sql.charCodeAt(i + 1) === STAR) {
      depth += 1;
      i += 2;
    } else if (code === STAR && sql.charCodeAt(i + 1) === SLASH) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else {
      i += 1;
    }
  }
  return sql.length;
}

function skipNumber(sql: string, start: number): number {
  if (sql.charCodeAt(start) === 48 && (sql.charCodeAt(start + 1) | 0x20) === 120 && isHexDigit(sql.charCodeAt(start + 2))) {
    let i = start + 2;
    while (i < sql.length && (isHexDigit(sql.charCodeAt(i)) || sql.charCodeAt(i) === 95)) i += 1;
    return i;
  }
  DECIMAL.lastIndex = start;
  const match = DECIMAL.exec(sql);
  return start + (match?.[0].length ?? 1);
}

function lineEnd(sql: string, start: number): number {
  const end = sql.indexOf('\n', start);
  return end === -1 ? sql.length : end;
}

/** SQL text with every literal replaced by `?` (see the module comment for the rules). */
export function sanitizeSql(statement: string, options: SqlSanitizerOptions = {}): string {
  const mysql = options.mysqlStrings ?? false;
  const truncated = statement.length > MAX_SANITIZED_SQL_LENGTH;
  const sql = truncated ? statement.slice(0, MAX_SANITIZED_SQL_LENGTH) : statement;
  let out = '';
  /** Whether `out` is empty or ends with a space: then no separating space is added. */
  let spaced = true;
  const emit = (text: string): void => {
    out += text;
    spaced = false;
  };
  const space = (): void => {
    if (spaced) return;
    out += ' ';
    spaced = true;
  };

  let i = 0;
  while (i < sql.length) {
    const code = sql.charCodeAt(i);
    const next = sql.charCodeAt(i + 1);
    const afterIdent = i > 0 && isIdentPart(sql.charCodeAt(i - 1));

    if (isSpace(code)) {
      space();
      i += 1;
    } else if ((code === DASH && next === DASH) || (code === HASH && mysql)) {
      i = lineEnd(sql, i);
      space();
    } else if (code === SLASH && next === STAR) {
      i = skipBlockComment(sql, i);
      space();
    } else if (code === QUOTE || (code === DOUBLE_QUOTE && mysql)) {
      i = skipQuoted(sql, i, code, mysql);
      emit('?');
    } else if (code === DOUBLE_QUOTE || code === BACKTICK) {
      const end = skipQuoted(sql, i, code, false);
      emit(sql.slice(i, end));
      i = end;
    } else if (code === DOLLAR && !afterIdent) {
      if (isDigit(next)) {
        let end = i + 1;
        while (isDigit(sql.charCodeAt(end))) end += 1;
        emit(sql.slice(i, end));
        i = end;
      } else {
        const end = skipDollarQuoted(sql, i);
        emit(end === -1 ? '$' : '?');
        i = end === -1 ? i + 1 : end;
      }
    } else if (isIdentStart(code)) {
      let end = i + 1;
      while (end < sql.length && isIdentPart(sql.charCodeAt(end))) end += 1;
      const word = sql.slice(i, end);
      const lower = end - i <= 5 ? word.toLowerCase() : '';
      if (sql.charCodeAt(end) === QUOTE && STRING_PREFIXES.has(lower)) {
        i = skipQuoted(sql, end, QUOTE, mysql || lower === 'e');
        emit('?');
      } else {
        emit(BOOLEANS.has(lower) ? '?' : word);
        i = end;
      }
    } else if ((isDigit(code) || (code === DOT && isDigit(next))) && !afterIdent) {
      i = skipNumber(sql, i);
      emit('?');
    } else {
      emit(sql[i]!);
      i += 1;
    }
  }
  const sanitized = out.trim().replace(LITERAL_LIST, '(?)');
  return truncated ? `${sanitized}${SQL_TRUNCATION_MARKER}` : sanitized;
}
