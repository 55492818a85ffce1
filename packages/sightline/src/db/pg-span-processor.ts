/**
 * Brings the query spans of `@opentelemetry/instrumentation-pg` to the
 * conventions Sightline's own database spans follow. That instrumentation
 * names a query span `pg.query:SELECT mydb` and records the raw statement in
 * `db.query.text`, literals included; it sets the text right after starting
 * the span, so only the hook that runs as the span ends (`onEnding`) can see
 * and change it. Implements the `SpanProcessor` interface of
 * `@opentelemetry/sdk-trace` 3.x (types only; the SDK itself is wired in by
 * telemetry setup).
 */
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
} from '@opentelemetry/semantic-conventions';
import { sanitizeSqlOnce } from '../tracing/sanitized-sql.ts';
import { redactPgErrorText } from './pg-error-text.ts';
import { TRACER_NAME } from '../tracing/tracer.ts';
import { POSTGRESQL } from './pg-query-wrapper.ts';
import { summarizeSql } from './sql-summary.ts';

/** Instrumentation scope name of the spans `@opentelemetry/instrumentation-pg` makes. */
export const PG_INSTRUMENTATION_SCOPE = '@opentelemetry/instrumentation-pg';

/** A query span of another PostgreSQL instrumentation; Sightline's own (`withDbSpan`, `instrumentPgPool`) already follow the conventions. */
function isForeignPgQuery(span: Span): boolean {
  const scope = span.instrumentationScope.name;
  if (scope === TRACER_NAME) return false;
  return scope === PG_INSTRUMENTATION_SCOPE || span.attributes[ATTR_DB_SYSTEM_NAME] === POSTGRESQL;
}

function stringAttribute(span: Span, key: string): string | undefined {
  const value = span.attributes[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** How `@opentelemetry/instrumentation-pg` words the exception event of a failed query: `… (code: 42P01)`. */
const SQLSTATE_IN_EXCEPTION = /\(code: ([0-9A-Z]{5})\)$/;

/** The SQLSTATE in the span's exception event, if the instrumentation recorded one. */
function sqlStateOf(span: Span): string | undefined {
  for (const event of span.events) {
    const message = event.name === 'exception' ? event.attributes?.[ATTR_EXCEPTION_MESSAGE] : undefined;
    const code = typeof message === 'string' ? SQLSTATE_IN_EXCEPTION.exec(message)?.[1] : undefined;
    if (code !== undefined) return code;
  }
  return undefined;
}

/** Replaces the values PostgreSQL quoted in the span's status message and exception events. */
function redactErrorTexts(span: Span): void {
  if (span.status.message !== undefined) span.setStatus({ ...span.status, message: redactPgErrorText(span.status.message) });
  for (const event of span.events) {
    if (event.name !== 'exception' || event.attributes === undefined) continue;
    for (const key of [ATTR_EXCEPTION_MESSAGE, ATTR_EXCEPTION_STACKTRACE]) {
      const value = event.attributes[key];
      if (typeof value === 'string') event.attributes[key] = redactPgErrorText(value);
    }
  }
}

/** `{operation} {collection}`, or whichever of the two is known, or `postgresql`. */
function spanName(operation: string, collection: string): string {
  const name = [operation, collection].filter((part) => part !== '').join(' ');
  return name === '' ? POSTGRESQL : name;
}

/**
 * A span processor for PostgreSQL query spans made by
 * `@opentelemetry/instrumentation-pg` (its instrumentation scope) or by any
 * other instrumentation that sets `db.system.name=postgresql` and
 * `db.query.text`. As such a span ends it:
 *
 * - replaces `db.query.text` by the statement with its literals replaced by
 *   `?` ({@link sanitizeSqlOnce}: the statement is scanned once, for this and
 *   for the summary below, and not again when the same statement comes back);
 * - sets `db.operation.name` and `db.collection.name` from the statement
 *   ({@link summarizeSql}) when the span has none and they are known;
 * - renames the span `{db.operation.name} {db.collection.name}`, or
 *   `{db.operation.name}` without a table, or `postgresql` when neither is
 *   known (the semantic conventions' fallback to `db.system.name`);
 * - on a failed query without `error.type`, sets it to the SQLSTATE
 *   (`42P01`) that the instrumentation put in its exception event;
 * - replaces the values PostgreSQL quoted in the error text (status message
 *   and exception events) by `?` ({@link redactPgErrorText}).
 *
 * Spans without `db.query.text` (`pg.connect`, `pg-pool.connect`) and spans
 * of Sightline's own tracer are left alone. `startTelemetry` installs it when
 * the pg instrumentation is enabled; add it yourself when you set up the SDK.
 */
export class PgSpanProcessor implements SpanProcessor {
  onStart(): void {}

  onEnding(span: Span): void {
    const text = span.attributes[ATTR_DB_QUERY_TEXT];
    if (typeof text !== 'string' || !isForeignPgQuery(span)) return;
    span.setAttribute(ATTR_DB_QUERY_TEXT, sanitizeSqlOnce(text));
    const summary = summarizeSql(text);
    const operation = stringAttribute(span, ATTR_DB_OPERATION_NAME) ?? summary.operation;
    const collection = stringAttribute(span, ATTR_DB_COLLECTION_NAME) ?? summary.collection;
    if (operation !== '') span.setAttribute(ATTR_DB_OPERATION_NAME, operation);
    if (collection !== '') span.setAttribute(ATTR_DB_COLLECTION_NAME, collection);
    span.updateName(spanName(operation, collection));
    if (span.status.code === SpanStatusCode.ERROR && span.attributes[ATTR_ERROR_TYPE] === undefined) {
      const sqlState = sqlStateOf(span);
      if (sqlState !== undefined) span.setAttribute(ATTR_ERROR_TYPE, sqlState);
    }
    if (span.status.code === SpanStatusCode.ERROR) redactErrorTexts(span);
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
