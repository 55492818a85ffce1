/**
 * What sanitizing SQL costs on the query path: a typical statement, a
 * 100 KB statement (read up to the sanitizer's limit, then cut with a
 * marker), and the same 100 KB statement seen before (the shared memo).
 * The bound: at most 1 ms for 100 KB.
 *
 * Run: bash scripts/bench.sh micro
 */
import { sanitizeSqlOnce } from '../../packages/sightline/src/tracing/sanitized-sql.ts';
import { sanitizeSql } from '../../packages/sightline/src/tracing/sql-sanitizer.ts';
import { compare } from './measure.ts';

const typical = "SELECT o.id, o.total FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.tenant = 'acme' AND o.total > 100.5 LIMIT 20";
const rows = Array.from({ length: 2_000 }, (_, i) => `(${i}, 'customer-${i}', ${i * 1.5}, TRUE)`);
const huge = `INSERT INTO orders (id, customer, total, paid) VALUES ${rows.join(', ')}`.padEnd(100_000, ' ');

await compare('sanitizing SQL', { name: `typical statement (${typical.length} characters)`, run: () => sanitizeSql(typical) }, [
  { name: `100 KB statement (${huge.length} characters)`, run: () => sanitizeSql(huge) },
  { name: '100 KB statement seen before (sanitizeSqlOnce)', run: () => sanitizeSqlOnce(huge) },
], 200, 5);
