/**
 * The metrics part of the demo's summary, computed from what /metrics
 * served: request rate, error share and p95 by route, the payments breaker,
 * the product cache's hit ratio, event counts and database timings.
 */
import { histogramQuantile, sumBy } from 'sightline-cli';
import type { Sample } from 'sightline-cli';

const ms = (seconds: number | undefined): string => (seconds === undefined ? 'n/a' : `${(seconds * 1000).toFixed(0)} ms`);

/** Renders the excerpt; `seconds` is how long the load ran (for rates). */
export function renderMetricsExcerpt(samples: readonly Sample[], seconds: number): string {
  const out: string[] = [];
  const requests = sumBy(samples, 'http_server_request_duration_seconds_count', ['http_request_method', 'http_route']);
  const errors = new Map<string, number>();
  for (const sample of samples) {
    if (sample.name !== 'http_server_request_duration_seconds_count') continue;
    if (!(sample.labels['http_response_status_code'] ?? '').startsWith('5')) continue;
    const key = `${sample.labels['http_request_method'] ?? ''} ${sample.labels['http_route'] ?? ''}`;
    errors.set(key, (errors.get(key) ?? 0) + sample.value);
  }
  out.push('HTTP requests by route (http_server_request_duration_seconds):');
  out.push(`  ${'route'.padEnd(22)} ${'requests'.padStart(8)} ${'req/s'.padStart(7)} ${'5xx'.padStart(6)} ${'p95'.padStart(8)}`);
  for (const [key, count] of [...requests].sort((a, b) => b[1] - a[1])) {
    const [method = '', route = ''] = key.split(' ');
    const p95 = histogramQuantile(samples, 'http_server_request_duration_seconds', 0.95, { http_request_method: method, http_route: route });
    out.push(
      `  ${key.padEnd(22)} ${String(count).padStart(8)} ${(count / seconds).toFixed(1).padStart(7)} ${String(errors.get(key) ?? 0).padStart(6)} ${ms(p95).padStart(8)}`,
    );
  }

  const state = [...sumBy(samples, 'sightline_circuit_breaker_state', ['breaker', 'state'])].filter(([, value]) => value === 1);
  const transitions = sumBy(samples, 'sightline_circuit_breaker_transitions_total', ['from', 'to']);
  const calls = sumBy(samples, 'sightline_circuit_breaker_calls_total', ['result']);
  out.push('Circuit breaker (sightline_circuit_breaker_*):');
  if (state.length === 0) out.push('  no breaker metrics (sightline/resilience not wired)');
  for (const [key] of state) {
    const [breaker, current] = key.split(' ');
    out.push(`  ${breaker}: now ${current}; transitions ${[...transitions].map(([k, v]) => `${k.replace(' ', '→')} ×${v}`).join(', ') || 'none'}`);
    out.push(`  calls: ${[...calls].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }

  const cache = sumBy(samples, 'sightline_cache_requests_total', ['cache', 'result']);
  out.push('Cache (sightline_cache_requests_total):');
  const caches = new Set([...cache.keys()].map((key) => key.split(' ')[0] ?? ''));
  if (caches.size === 0) out.push('  no cache metrics (sightline/resilience not wired)');
  for (const name of caches) {
    const hits = cache.get(`${name} hit`) ?? 0;
    const misses = cache.get(`${name} miss`) ?? 0;
    out.push(`  ${name}: ${hits} hits, ${misses} misses, hit ratio ${hits + misses === 0 ? 'n/a' : `${((100 * hits) / (hits + misses)).toFixed(0)} %`}`);
  }

  out.push('Events (messaging_client_*):');
  for (const [key, count] of sumBy(samples, 'messaging_client_sent_messages_total', ['messaging_destination_name', 'error_type'])) {
    const [type, error] = key.split(' ');
    out.push(`  published ${type}${error ? ` (${error})` : ''}: ${count}`);
  }
  const consumed = sumBy(samples, 'messaging_client_consumed_messages_total', ['messaging_consumer_group_name', 'outcome']);
  for (const group of new Set([...consumed.keys()].map((key) => key.split(' ')[0] ?? ''))) {
    const outcomes = ['success', 'retry', 'dead_letter'].map((outcome) => `${outcome} ${consumed.get(`${group} ${outcome}`) ?? 0}`);
    const p95 = histogramQuantile(samples, 'messaging_process_duration_seconds', 0.95, { messaging_consumer_group_name: group });
    out.push(`  ${group}: ${outcomes.join(', ')}; handler p95 ${ms(p95)}`);
  }

  const db = sumBy(samples, 'db_client_operation_duration_seconds_count', ['db_operation_name']);
  const dbSpans = [...sumBy(samples, 'sightline_span_duration_seconds_count', ['span_name'], { span_kind: 'client' })].filter(([name]) =>
    name.startsWith('pg.'),
  );
  out.push(db.size > 0 ? 'Database (db_client_operation_duration_seconds):' : 'Database (sightline_span_duration_seconds, pg spans):');
  if (db.size > 0) {
    for (const [operation, count] of db) {
      const p95 = histogramQuantile(samples, 'db_client_operation_duration_seconds', 0.95, { db_operation_name: operation });
      out.push(`  ${operation.padEnd(10)} ${String(count).padStart(6)} queries, p95 ${ms(p95)}`);
    }
  } else {
    for (const [name, count] of dbSpans.sort((a, b) => b[1] - a[1]).slice(0, 4)) {
      const p95 = histogramQuantile(samples, 'sightline_span_duration_seconds', 0.95, { span_name: name, span_kind: 'client' });
      out.push(`  ${name.padEnd(24)} ${String(count).padStart(6)} spans, p95 ${ms(p95)}`);
    }
  }
  return out.join('\n');
}
