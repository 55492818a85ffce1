/** The trace list: filters, and a row per trace, newest first. */
import type { TraceQuery, TraceSummary } from '../trace-summary.ts';
import { escapeHtml, formatMillis, formatTime, layout, serviceColour } from './layout.ts';

/** What the filter form offers. */
export interface FilterChoices {
  readonly services: readonly string[];
  readonly tenants: readonly string[];
}

/** The table rows (the part live updates replace). */
export function renderTraceRows(traces: readonly TraceSummary[]): string {
  if (traces.length === 0) return '<tr><td colspan="7" class="muted">No traces match. Send some with the variables the viewer printed.</td></tr>';
  return traces
    .map(
      (trace) => `<tr class="${trace.status === 'error' ? 'error' : ''}" data-trace-id="${trace.traceId}">
<td><a href="/traces/${trace.traceId}">${escapeHtml(trace.rootName || trace.traceId)}</a></td>
<td>${trace.services.map((service) => `<span class="service" style="--c:${serviceColour(service)}">${escapeHtml(service)}</span>`).join(' ')}</td>
<td>${escapeHtml(trace.tenant ?? '')}</td><td>${formatTime(trace.startMs)}</td><td class="num">${formatMillis(trace.durationMs)}</td>
<td class="num">${trace.spanCount}</td><td>${trace.status === 'error' ? `<span class="badge error">${trace.errorCount} error${trace.errorCount === 1 ? '' : 's'}</span>` : 'ok'}</td></tr>`,
    )
    .join('');
}

function select(name: string, label: string, options: readonly string[], selected: string | undefined): string {
  const items = ['', ...options].map((option) => `<option value="${escapeHtml(option)}"${option === (selected ?? '') ? ' selected' : ''}>${option === '' ? `any ${label}` : escapeHtml(option)}</option>`);
  return `<label>${label} <select name="${name}">${items.join('')}</select></label>`;
}

/** The whole page. */
export function renderTraceListPage(traces: readonly TraceSummary[], query: TraceQuery, choices: FilterChoices): string {
  const form = `<form id="filters" class="filters" method="get" action="/">
${select('service', 'service', choices.services, query.service)}
<label>operation <input name="operation" value="${escapeHtml(query.operation ?? '')}" placeholder="span name contains"></label>
${select('tenant', 'tenant', choices.tenants, query.tenant)}
${select('status', 'status', ['ok', 'error'], query.status)}
<label>min duration <input name="minDurationMs" type="number" min="0" value="${query.minDurationMs ?? ''}" placeholder="ms" class="short"></label>
<button type="submit">Filter</button></form>`;
  return layout(
    'Traces',
    'traces',
    `${form}<table class="list"><thead><tr><th>root span</th><th>services</th><th>tenant</th><th>start</th><th class="num">duration</th><th class="num">spans</th><th>status</th></tr></thead>
<tbody id="trace-rows">${renderTraceRows(traces)}</tbody></table>`,
  );
}
