/**
 * The shop's logger: pino, JSON lines on stdout. Under Sightline's SDK the
 * pino instrumentation adds `trace_id`, `span_id`, `trace_flags` and
 * `tenant.id` to each record written inside a span, and with
 * `OTEL_LOGS_EXPORTER=otlp` sends the records as OTLP logs too.
 */
import pino from 'pino';

export const logger = pino({ name: 'shop', level: process.env['SHOP_LOG_LEVEL'] ?? 'info' });
