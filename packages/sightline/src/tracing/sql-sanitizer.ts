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

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;
const STRING_PREFIXES = new Set(['e', 'n', 'x', 'b']);
const BOOLEANS = new Set(['true', 'false']);
const LITERAL_LIST = /\(\s*\?(?:\s*,\s*\?)*\s*\)/g;

/** End index (exclusive) of a quoted run starting at `start` (the opening quote). */
function skipQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const char = sql[i];
    if (backslashEscapes && char === '\\') {
      i += 2;
    } else if (char === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i += 1;
    }
  }
  return sql.length;
}

/** End index of a dollar-quoted string at `start`, or -1 when `start` does not open one. */
function skipDollarQuoted(sql: string, start: number): number {
  const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(start, start + 64))?.[0];
  if (tag === undefined) return -1;
  const end = sql.indexOf(tag, start + tag.length);
  return end === -1 ? sql.length : end + tag.length;
}

function skipBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth += 1;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
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
  if (/^0[xX][0-9a-fA-F]/.test(sql.slice(start, start + 3))) {
    let i = start + 2;
    while (i < sql.length && /[0-9a-fA-F_]/.test(sql[i] ?? '')) i += 1;
    return i;
  }
  const match = /^(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(sql.slice(start));
  return start + (match?.[0].length ?? 1);
}

/** SQL text with every literal replaced by `?` (see the module comment for the rules). */
export function sanitizeSql(sql: string, options: SqlSanitizerOptions = {}): string {
  const mysql = options.mysqlStrings ?? false;
  let out = '';
  let i = 0;
  const emit = (text: string) => {
    out += text;
  };
  const space = () => {
    if (out !== '' && !out.endsWith(' ')) out += ' ';
  };

  while (i < sql.length) {
    const char = sql[i] ?? '';
    const next = sql[i + 1] ?? '';
    const previous = sql[i - 1] ?? '';

    if (/\s/.test(char)) {
      space();
      i += 1;
    } else if (char === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
      space();
    } else if (char === '#' && mysql) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
      space();
    } else if (char === '/' && next === '*') {
      i = skipBlockComment(sql, i);
      space();
    } else if (char === "'" || (char === '"' && mysql)) {
      i = skipQuoted(sql, i, char, mysql);
      emit('?');
    } else if (char === '"' || char === '`') {
      const end = skipQuoted(sql, i, char, false);
      emit(sql.slice(i, end));
      i = end;
    } else if (char === '$' && !IDENT_PART.test(previous)) {
      if (DIGIT.test(next)) {
        let end = i + 1;
        while (DIGIT.test(sql[end] ?? '')) end += 1;
        emit(sql.slice(i, end));
        i = end;
      } else {
        const end = skipDollarQuoted(sql, i);
        if (end === -1) {
          emit(char);
          i += 1;
        } else {
          emit('?');
          i = end;
        }
      }
    } else if (IDENT_START.test(char)) {
      let end = i + 1;
      while (end < sql.length && IDENT_PART.test(sql[end] ?? '')) end += 1;
      const word = sql.slice(i, end);
      const lower = word.toLowerCase();
      if (sql[end] === "'" && STRING_PREFIXES.has(lower)) {
        i = skipQuoted(sql, end, "'", mysql || lower === 'e');
        emit('?');
      } else {
        emit(BOOLEANS.has(lower) ? '?' : word);
        i = end;
      }
    } else if ((DIGIT.test(char) || (char === '.' && DIGIT.test(next))) && !IDENT_PART.test(previous)) {
      i = skipNumber(sql, i);
      emit('?');
    } else {
      emit(char);
      i += 1;
    }
  }
  return out.trim().replace(LITERAL_LIST, '(?)');
}
