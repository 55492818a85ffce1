/**
 * Sightline's public API. Every export is listed by name; types are on
 * `export type` lines.
 */
export { SightlineError, InvalidTenantError, TenantContextMissingError, SpanNameMissingError } from './errors.ts';
export { VERSION } from './version.ts';

export { TENANT_ID_KEY, USER_ID_KEY } from './context/keys.ts';
export {
  withTenant,
  getTenantContext,
  tryGetTenantContext,
  contextWithTenant,
  tenantFromContext,
} from './context/tenant-context.ts';
export type { TenantContext } from './context/tenant-context.ts';
export { MAX_ID_LENGTH } from './context/tenant-id-format.ts';
export { createBaggagePropagator, DEFAULT_BAGGAGE_KEYS } from './context/baggage-propagator.ts';
export type { BaggagePropagatorOptions } from './context/baggage-propagator.ts';
export { TenantSpanProcessor } from './context/tenant-span-processor.ts';
export type { TenantSpanProcessorOptions } from './context/tenant-span-processor.ts';
export { hashUserId, USER_ID_HASH_LENGTH } from './context/hash-user-id.ts';

export { withSpan } from './tracing/with-span.ts';
export type { WithSpanOptions } from './tracing/with-span.ts';
export type { SpanResult } from './tracing/span-result.ts';
export { TRACER_NAME, sightlineTracer } from './tracing/tracer.ts';
export { traced } from './tracing/traced.ts';
export type { TracedOptions } from './tracing/traced.ts';
export { recordError, errorType } from './tracing/record-error.ts';
export { spanAttributes, ATTR_APP_MODULE, ATTR_APP_OPERATION } from './tracing/attributes.ts';
export type { SpanAttributesBuilder, KnownAttributes, AttributeValueFor } from './tracing/attributes.ts';
export { measure, ATTR_MEASURE_DURATION_MS } from './tracing/measure.ts';
export type { MeasureOptions } from './tracing/measure.ts';
export { sanitizeSql } from './tracing/sql-sanitizer.ts';
export type { SqlSanitizerOptions } from './tracing/sql-sanitizer.ts';
export { redactUrl } from './tracing/url-redaction.ts';
export type { RedactedUrl } from './tracing/url-redaction.ts';
export { withDbSpan } from './tracing/db-span.ts';
export type { DbSpanOptions } from './tracing/db-span.ts';
export { withHttpClientSpan } from './tracing/http-client-span.ts';
export type { HttpClientSpanOptions, HttpClientRequestContext } from './tracing/http-client-span.ts';
export { withEventSpan } from './tracing/event-span.ts';
export type { EventSpanOptions, MessagingOperation } from './tracing/event-span.ts';
