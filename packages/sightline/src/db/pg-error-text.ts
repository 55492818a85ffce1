/**
 * PostgreSQL error texts quote the values that caused them
 * (`invalid input syntax for type integer: "4111 1111"`, a unique
 * violation's `Key (email)=(ada@example.com) already exists`, a check
 * violation's `Failing row contains (…)`). Span status messages and
 * exception events keep the text's shape and the SQLSTATE, with the values
 * replaced by `?`, as `db.query.text` has its literals replaced.
 */

/** Words after which PostgreSQL quotes a name (of a table, column, type, …), never a value. */
const NAME_WORDS = new Set([
  'relation', 'table', 'column', 'constraint', 'index', 'schema', 'type', 'function', 'procedure', 'sequence', 'database',
  'role', 'user', 'extension', 'operator', 'view', 'trigger', 'domain', 'collation', 'tablespace', 'policy', 'rule',
  'publication', 'subscription', 'cursor', 'statement', 'savepoint', 'enum', 'aggregate', 'server', 'language', 'parameter',
]);

const QUOTED = /(\b[A-Za-z_]+\s+)?"((?:[^"]|"")*)"/g;
const KEY_VALUES = /\b(Key \((?:[^()]|\([^()]*\))*\))=\((?:.*?)\)(?=\s+(?:already exists|is not present|is still referenced|conflicts with)|\.?$)/g;
const FAILING_ROW = /\b(Failing row contains )\(.*\)/g;

/** `text` with the values PostgreSQL quoted replaced by `?`; names, wording and `(code: …)` kept. */
export function redactPgErrorText(text: string): string {
  return text
    .replace(KEY_VALUES, '$1=(?)')
    .replace(FAILING_ROW, '$1(?)')
    .replace(QUOTED, (match: string, before: string | undefined) =>
      before !== undefined && NAME_WORDS.has(before.trim().toLowerCase()) ? match : `${before ?? ''}"?"`,
    );
}
