import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCachedSqlSanitizer } from '../src/tracing/sanitized-sql.ts';
import { MAX_SANITIZED_SQL_LENGTH, sanitizeSql, SQL_TRUNCATION_MARKER } from '../src/tracing/sql-sanitizer.ts';
import type { SqlSanitizerOptions } from '../src/tracing/sql-sanitizer.ts';
import { redactUrl } from '../src/tracing/url-redaction.ts';

void describe('sanitizeSql', () => {
  const cases: [string, string, string][] = [
    ['strings and numbers', "SELECT * FROM users WHERE name = 'alice' AND age > 42", 'SELECT * FROM users WHERE name = ? AND age > ?'],
    ['doubled-quote escape', "SELECT 1 FROM t WHERE name = 'O''Brien' AND x = 'a''''b'", 'SELECT ? FROM t WHERE name = ? AND x = ?'],
    ['E-string backslash escape', "SELECT a FROM t WHERE x = E'it\\'s secret' AND y = 'C:\\'", 'SELECT a FROM t WHERE x = ? AND y = ?'],
    ['decimals, exponents, hex', 'SELECT a FROM t WHERE b = 1.5e3 AND c = .25 AND d = 0xFF AND e = 1E-7', 'SELECT a FROM t WHERE b = ? AND c = ? AND d = ? AND e = ?'],
    ['digits inside identifiers stay', 'SELECT t1.col2 FROM table1 t1 JOIN s3 ON s3.id = t1.s3_id', 'SELECT t1.col2 FROM table1 t1 JOIN s3 ON s3.id = t1.s3_id'],
    ['dollar-quoted strings', "SELECT $$it's; -- not a comment$$, $fn$ body $$ inner $$ $fn$ FROM t", 'SELECT ?, ? FROM t'],
    ['bind placeholders kept', 'UPDATE t SET a = $1, b = :name, c = @p1, d = ? WHERE id = $12', 'UPDATE t SET a = $1, b = :name, c = @p1, d = ? WHERE id = $12'],
    ['line and nested block comments removed', "SELECT id -- the 'id'\nFROM /* outer /* inner 'x' */ still */ t WHERE a = 1", 'SELECT id FROM t WHERE a = ?'],
    ['IN list collapses', "SELECT * FROM t WHERE id IN (1, 2, 3) AND s IN ('a','b')", 'SELECT * FROM t WHERE id IN (?) AND s IN (?)'],
    ['IN list of placeholders kept', 'SELECT * FROM t WHERE id IN ($1, $2)', 'SELECT * FROM t WHERE id IN ($1, $2)'],
    ['multi-row VALUES', "INSERT INTO t (a, b) VALUES ('x', 1), (N'y', X'0A')", 'INSERT INTO t (a, b) VALUES (?), (?)'],
    ['booleans replaced, NULL kept', 'SELECT * FROM t WHERE a = TRUE AND b = false AND c IS NULL', 'SELECT * FROM t WHERE a = ? AND b = ? AND c IS NULL'],
    ['quoted identifiers kept', 'SELECT "Order Id", `name` FROM "Orders 2024" WHERE "x" = 7', 'SELECT "Order Id", `name` FROM "Orders 2024" WHERE "x" = ?'],
    ['casts', "SELECT '5'::int, ARRAY[1, 2], -3", 'SELECT ?::int, ARRAY[?, ?], -?'],
    ['whitespace normalised', 'SELECT\n\t a\n  FROM   t', 'SELECT a FROM t'],
    ['unterminated string swallows the rest', "SELECT 'abc FROM users WHERE password = 'x", 'SELECT ?x'],
    ['unterminated comment swallows the rest', 'SELECT a /* secret 42', 'SELECT a'],
    ['unicode identifiers', "SELECT prénom FROM clients WHERE ville = 'Zürich'", 'SELECT prénom FROM clients WHERE ville = ?'],
  ];
  for (const [title, sql, expected] of cases) {
    void it(title, () => assert.equal(sanitizeSql(sql), expected));
  }

  void it('MySQL strings: backslash escapes, double-quoted literals, # comments', () => {
    assert.equal(
      sanitizeSql(`SELECT * FROM t WHERE a = 'it\\'s' AND b = "sec\\"ret" # note 'x'\nAND c = 2`, { mysqlStrings: true }),
      'SELECT * FROM t WHERE a = ? AND b = ? AND c = ?',
    );
  });

  void it('never leaves a literal value in the output', () => {
    const secrets = ['hunter2', '4111111111111111', 'tok_abc'];
    const sql = `INSERT INTO cards VALUES ('hunter2', 4111111111111111, $$tok_abc$$) /* hunter2 */ -- tok_abc`;
    const sanitized = sanitizeSql(sql);
    for (const secret of secrets) assert.ok(!sanitized.includes(secret), `${secret} leaked: ${sanitized}`);
  });
});

void describe('sanitizeSql on long statements', () => {
  void it('reads only the first MAX_SANITIZED_SQL_LENGTH characters and marks the cut', () => {
    const head = 'SELECT id FROM orders WHERE id IN (';
    const sql = `${head}${Array.from({ length: 20_000 }, (_, i) => i).join(', ')}) AND note = 'secret'`;
    const sanitized = sanitizeSql(sql);
    assert.ok(sanitized.endsWith(SQL_TRUNCATION_MARKER), sanitized.slice(-40));
    assert.ok(sanitized.startsWith('SELECT id FROM orders WHERE id IN (?, ?, ?'));
    assert.ok(!/\d/.test(sanitized), 'no number survives');
    assert.ok(!sanitized.includes('secret'));
    assert.ok(sanitized.length <= MAX_SANITIZED_SQL_LENGTH + SQL_TRUNCATION_MARKER.length);
  });

  void it('a literal cut in two at the limit still becomes ?', () => {
    const sql = `SELECT a FROM t WHERE b = '${'x'.repeat(MAX_SANITIZED_SQL_LENGTH)}hunter2'`;
    assert.equal(sanitizeSql(sql), `SELECT a FROM t WHERE b = ?${SQL_TRUNCATION_MARKER}`);
  });

  void it('a statement at the limit is not marked', () => {
    const sql = `SELECT ${'a'.repeat(MAX_SANITIZED_SQL_LENGTH - 'SELECT '.length)}`;
    assert.equal(sanitizeSql(sql), sql);
  });
});

void describe('createCachedSqlSanitizer', () => {
  const counting = () => {
    const seen: string[] = [];
    const sanitize = (sql: string, options?: SqlSanitizerOptions) => {
      seen.push(sql);
      return sanitizeSql(sql, options);
    };
    return { seen, sanitize };
  };

  void it('sanitizes a statement once and returns the same text after', () => {
    const { seen, sanitize } = counting();
    const once = createCachedSqlSanitizer(sanitize);
    const sql = "SELECT * FROM orders WHERE id = 42 AND note = 'x'";
    assert.equal(once(sql), 'SELECT * FROM orders WHERE id = ? AND note = ?');
    assert.equal(once(sql), 'SELECT * FROM orders WHERE id = ? AND note = ?');
    assert.equal(once(`${sql}`), 'SELECT * FROM orders WHERE id = ? AND note = ?');
    assert.deepEqual(seen, [sql]);
  });

  void it('keeps MySQL and standard readings apart', () => {
    const { seen, sanitize } = counting();
    const once = createCachedSqlSanitizer(sanitize);
    const sql = 'SELECT "a" FROM t';
    assert.equal(once(sql), 'SELECT "a" FROM t');
    assert.equal(once(sql, { mysqlStrings: true }), 'SELECT ? FROM t');
    assert.equal(seen.length, 2);
  });

  void it('forgets the oldest statements beyond its character budget', () => {
    const { seen, sanitize } = counting();
    const once = createCachedSqlSanitizer(sanitize, 40);
    const first = 'SELECT a FROM first_table';
    const second = 'SELECT b FROM second_table';
    once(first);
    once(second);
    once(second);
    once(first);
    assert.deepEqual(seen, [first, second, first]);
  });
});

void describe('redactUrl', () => {
  const cases: [string, { full: string; address: string; port: number | undefined } | undefined][] = [
    ['https://user:p%40ss@api.example.com:8443/v1/orders?token=abc#frag', { full: 'https://api.example.com:8443/v1/orders', address: 'api.example.com', port: 8443 }],
    ['http://[::1]:8080/x?y=1', { full: 'http://[::1]:8080/x', address: '::1', port: 8080 }],
    ['https://only-user@h.example/?#', { full: 'https://h.example/', address: 'h.example', port: 443 }],
    ['HTTP://EXAMPLE.com/a%2Fb?q', { full: 'http://example.com/a%2Fb', address: 'example.com', port: 80 }],
    ['amqp://guest:guest@rabbit/vhost', { full: 'amqp://rabbit/vhost', address: 'rabbit', port: undefined }],
    ['/relative/path?secret=1', undefined],
    ['not a url', undefined],
  ];
  for (const [input, expected] of cases) {
    void it(input, () => assert.deepEqual(redactUrl(input), expected));
  }
});
