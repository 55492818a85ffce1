/**
 * `sightline/pg`: metrics and spans for PostgreSQL through `pg` (an
 * optional peer dependency, recognised by shape).
 */
export { instrumentPgPool } from './instrument-pg-pool.ts';
export type { InstrumentPgPoolOptions, PgPoolLike } from './instrument-pg-pool.ts';
export type { PgClientLike } from './pg-query-wrapper.ts';
export { POSTGRESQL, hasPgAutoInstrumentation } from './pg-query-wrapper.ts';
export { PG_INSTRUMENTATION_SCOPE, PgSpanProcessor } from './pg-span-processor.ts';
export { summarizeSql } from './sql-summary.ts';
export type { SqlSummary } from './sql-summary.ts';
