/** The metrics page: request rate, p95 and error ratio by route, event lag, circuit breakers. */
import type { MetricsSummary } from '../metrics-summary.ts';
import { escapeHtml, formatMillis, formatTime, layout } from './layout.ts';

const optionalMillis = (ms: number | undefined): string => (ms === undefined ? '–' : formatMillis(ms));

/** The page body (the part live updates replace). */
export function renderMetricsBody(summary: MetricsSummary): string {
  if (summary.series === 0) {
    return `<p class="muted">No metrics yet. Push them over OTLP (OTEL_METRICS_EXPORTER=otlp) or start the viewer with --scrape http://host:port/metrics.</p>`;
  }
  const routes = summary.routes.map(
    (route) => `<tr class="${route.errorRatio > 0.05 ? 'error' : ''}"><td>${escapeHtml(route.job)}</td><td>${escapeHtml(route.route)}</td>
<td class="num">${route.rate.toFixed(2)}/s</td><td class="num">${optionalMillis(route.p95Ms)}</td><td class="num">${(route.errorRatio * 100).toFixed(1)} %</td></tr>`,
  );
  const lag = summary.eventLag.map(
    (row) => `<tr><td>${escapeHtml(row.destination)}</td><td>${escapeHtml(row.group)}</td><td class="num">${row.events}</td><td class="num">${optionalMillis(row.p95Ms)}</td></tr>`,
  );
  const breakers = summary.breakers.map(
    (breaker) => `<tr class="breaker" data-breaker="${escapeHtml(breaker.breaker)}"><td>${escapeHtml(breaker.breaker)}</td>
<td><span class="badge state-${escapeHtml(breaker.state)}">${escapeHtml(breaker.state)}</span> <span class="opened">opened ${breaker.opened}×</span></td>
<td>${breaker.changes.map((change) => `<span class="change state-${escapeHtml(change.state)}">${formatTime(change.timeMs)} ${escapeHtml(change.state)}</span>`).join(' → ')}</td></tr>`,
  );
  const empty = (columns: number): string => `<tr><td colspan="${columns}" class="muted">none in the window</td></tr>`;
  return `<p class="muted">Last ${summary.windowSeconds} s · ${summary.series} series</p>
<h2>HTTP server by route</h2><table class="list" id="routes"><thead><tr><th>service</th><th>route</th><th class="num">rate</th><th class="num">p95</th><th class="num">5xx</th></tr></thead><tbody>${routes.join('') || empty(5)}</tbody></table>
<h2>Event lag</h2><table class="list" id="event-lag"><thead><tr><th>event type</th><th>consumer group</th><th class="num">events</th><th class="num">lag p95</th></tr></thead><tbody>${lag.join('') || empty(4)}</tbody></table>
<h2>Circuit breakers</h2><table class="list" id="breakers"><thead><tr><th>breaker</th><th>state</th><th>changes</th></tr></thead><tbody>${breakers.join('') || empty(3)}</tbody></table>`;
}

/** The whole page. */
export function renderMetricsPage(summary: MetricsSummary): string {
  return layout('Metrics', 'metrics', `<h1>Metrics</h1><div id="metrics-body">${renderMetricsBody(summary)}</div>`);
}
