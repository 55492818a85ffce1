/**
 * The viewer's JSON API, which its pages use and scripts can call:
 *
 * - `GET /api/traces?service=&operation=&tenant=&status=error|ok&minDurationMs=&limit=`
 *   trace summaries, most recent first;
 * - `GET /api/traces/{traceId}` every span (depth first, as the waterfall
 *   draws them) with its attributes, events, links, resource and scope;
 * - `GET /api/logs?traceId=&tenant=&severity=&limit=` log records, oldest first;
 * - `GET /api/metrics?windowSeconds=` request rate, p95 and error ratio by
 *   route, event lag and breaker states;
 * - `GET /api/status` what is held and how many requests were refused.
 *
 * A bad query parameter is a 400 that names it.
 */
import type { Ingest } from './ingest.ts';
import { SEVERITIES } from './log-store.ts';
import type { LogQuery } from './log-store.ts';
import { summarizeMetrics } from './metrics-summary.ts';
import type { ViewerLog } from './otlp/logs.ts';
import type { ViewerSpan } from './otlp/spans.ts';
import { queryTraces } from './trace-summary.ts';
import { buildTree, flatten } from './trace-tree.ts';
import type { TraceQuery } from './trace-summary.ts';

/** A JSON answer. */
export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

/** A query parameter the API cannot use. */
export class BadQuery extends Error {}

/** The trace filters of a query string; throws {@link BadQuery} naming a bad one. */
export function traceQueryFrom(params: URLSearchParams): TraceQuery {
  const text = optional(params, 'status');
  const status = text === undefined || text === 'ok' || text === 'error' ? text : undefined;
  if (status !== text) throw new BadQuery(`Expected status to be ok or error, got ${JSON.stringify(text)}.`);
  return {
    ...withValue('service', optional(params, 'service')),
    ...withValue('operation', optional(params, 'operation')),
    ...withValue('tenant', optional(params, 'tenant')),
    ...(status !== undefined && { status }),
    ...withValue('minDurationMs', number(params, 'minDurationMs', 0, Number.MAX_SAFE_INTEGER)),
    ...withValue('limit', number(params, 'limit', 1, 10_000)),
  };
}

function optional(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  return value === null || value === '' ? undefined : value;
}

function number(params: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const text = optional(params, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) throw new BadQuery(`Expected ${name} to be a number from ${min} to ${max}, got ${JSON.stringify(text)}.`);
  return value;
}

/** A span as the API shows it: times as nanosecond strings and as milliseconds. */
export function spanJson(span: ViewerSpan): Record<string, unknown> {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId ?? null,
    name: span.name,
    kind: span.kind,
    service: span.serviceName,
    startTimeUnixNano: span.startNanos.toString(),
    endTimeUnixNano: span.endNanos.toString(),
    startMs: Number(span.startNanos) / 1e6,
    durationMs: Number(span.endNanos - span.startNanos) / 1e6,
    status: { code: span.status, message: span.statusMessage },
    attributes: span.attributes,
    events: span.events.map((event) => ({ name: event.name, timeUnixNano: event.timeNanos.toString(), timeMs: Number(event.timeNanos) / 1e6, attributes: event.attributes })),
    links: span.links,
    resource: span.resource,
    scope: span.scope,
  };
}

/** A log record as the API shows it. */
export function logJson(log: ViewerLog): Record<string, unknown> {
  return {
    timeUnixNano: log.timeNanos.toString(),
    timeMs: Number(log.timeNanos) / 1e6,
    severityNumber: log.severityNumber,
    severityText: log.severityText,
    body: log.body,
    attributes: log.attributes,
    traceId: log.traceId || null,
    spanId: log.spanId || null,
    service: log.serviceName,
    scope: log.scope,
  };
}

function severity(params: URLSearchParams): number | undefined {
  const text = optional(params, 'severity');
  if (text === undefined) return undefined;
  const value = SEVERITIES[text.toLowerCase()] ?? (/^\d+$/.test(text) ? Number(text) : undefined);
  if (value === undefined) throw new BadQuery(`Expected severity to be one of ${Object.keys(SEVERITIES).join(', ')} or a severity number, got ${JSON.stringify(text)}.`);
  return value;
}

/** Answers an API path, or undefined when the path is not the API's. */
export function answerApi(path: string, params: URLSearchParams, ingest: Ingest): ApiResponse | undefined {
  try {
    if (path === '/api/traces') {
      const query = traceQueryFrom(params);
      return { status: 200, body: { traces: queryTraces(ingest.traces.list(), query) } };
    }
    const traceMatch = /^\/api\/traces\/([0-9a-fA-F]{32})$/.exec(path);
    if (traceMatch?.[1] !== undefined) {
      const trace = ingest.traces.get(traceMatch[1].toLowerCase());
      if (!trace) return { status: 404, body: { error: `No trace ${traceMatch[1]} (it was never received, or it was dropped to stay within --max-traces).` } };
      return { status: 200, body: { traceId: trace.traceId, spans: flatten(buildTree(trace)).map(({ span }) => spanJson(span)) } };
    }
    if (path === '/api/logs') {
      const query: LogQuery = {
        ...withValue('traceId', optional(params, 'traceId')?.toLowerCase()),
        ...withValue('tenant', optional(params, 'tenant')),
        ...withValue('minSeverity', severity(params)),
        ...withValue('limit', number(params, 'limit', 1, 100_000)),
      };
      return { status: 200, body: { logs: ingest.logs.query(query).map(logJson) } };
    }
    if (path === '/api/metrics') {
      return { status: 200, body: summarizeMetrics(ingest.metrics, number(params, 'windowSeconds', 1, 86_400) ?? 60) };
    }
    if (path === '/api/status') {
      return {
        status: 200,
        body: { traces: ingest.traces.list().length, logs: ingest.logs.size, series: ingest.metrics.size, rejected: ingest.rejected, droppedSpans: ingest.traces.droppedSpans, droppedLogs: ingest.logs.dropped },
      };
    }
    return path.startsWith('/api/') ? { status: 404, body: { error: `No API at ${path}.` } } : undefined;
  } catch (error) {
    if (error instanceof BadQuery) return { status: 400, body: { error: error.message } };
    throw error;
  }
}

function withValue<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
