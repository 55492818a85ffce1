/**
 * One trace: a waterfall (time axis, a bar per span coloured by service,
 * collapsible subtrees, errors in red), a detail pane per span (attributes,
 * events with exception stack traces, links to the linked traces, resource,
 * scope) and the trace's log records beside it.
 */
import { formatAttribute } from '../otlp/values.ts';
import type { Attributes } from '../otlp/values.ts';
import type { ViewerLog } from '../otlp/logs.ts';
import type { ViewerSpan } from '../otlp/spans.ts';
import type { StoredTrace } from '../trace-store.ts';
import { buildTree, durationMillis, flatten } from '../trace-tree.ts';
import { escapeHtml, formatMillis, formatTime, layout, serviceColour } from './layout.ts';

const SEVERITY_NAMES = ['', 'TRACE', 'TRACE', 'TRACE', 'TRACE', 'DEBUG', 'DEBUG', 'DEBUG', 'DEBUG', 'INFO', 'INFO', 'INFO', 'INFO', 'WARN', 'WARN', 'WARN', 'WARN', 'ERROR', 'ERROR', 'ERROR', 'ERROR', 'FATAL', 'FATAL', 'FATAL', 'FATAL'];

function attributeTable(attributes: Attributes, className = 'attrs'): string {
  const rows = Object.entries(attributes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(formatAttribute(value))}</td></tr>`);
  return rows.length === 0 ? '<p class="muted">none</p>' : `<table class="${className}">${rows.join('')}</table>`;
}

function eventHtml(span: ViewerSpan, event: ViewerSpan['events'][number]): string {
  const offset = Number(event.timeNanos - span.startNanos) / 1e6;
  const { 'exception.stacktrace': stack, ...rest } = event.attributes;
  const isError = event.name === 'exception' || /dead.?letter|error|fail/i.test(event.name);
  return `<li class="event${isError ? ' error' : ''}"><strong>${escapeHtml(event.name)}</strong> <span class="muted">+${formatMillis(offset)}</span>
${attributeTable(rest)}${stack === undefined ? '' : `<pre class="stack">${escapeHtml(formatAttribute(stack))}</pre>`}</li>`;
}

function detailHtml(span: ViewerSpan): string {
  const links = span.links.map(
    (link) => `<li><a href="/traces/${link.traceId}#span-${link.spanId}">trace ${link.traceId.slice(0, 8)}… span ${link.spanId.slice(0, 8)}…</a>${attributeTable(link.attributes)}</li>`,
  );
  return `<section class="detail" id="detail-${span.spanId}" data-span-id="${span.spanId}" hidden>
<h2>${escapeHtml(span.name)}</h2>
<p><span class="service" style="--c:${serviceColour(span.serviceName)}">${escapeHtml(span.serviceName)}</span> ${escapeHtml(span.kind)} · ${formatMillis(durationMillis(span))}
${span.status === 'error' ? ` · <span class="badge error">error</span> ${escapeHtml(span.statusMessage)}` : ` · status ${span.status}`}</p>
<p class="muted">span ${span.spanId}${span.parentSpanId === undefined ? '' : ` · parent ${span.parentSpanId}`}</p>
<h3>Attributes</h3>${attributeTable(span.attributes)}
<h3>Events (${span.events.length})</h3>${span.events.length === 0 ? '<p class="muted">none</p>' : `<ul class="events">${span.events.map((event) => eventHtml(span, event)).join('')}</ul>`}
<h3>Links (${span.links.length})</h3>${links.length === 0 ? '<p class="muted">none</p>' : `<ul class="links">${links.join('')}</ul>`}
<h3>Resource</h3>${attributeTable(span.resource)}
<h3>Scope</h3><p>${escapeHtml(span.scope.name)} ${escapeHtml(span.scope.version)}</p></section>`;
}

/** The log rows of a trace (the part live updates replace). */
export function renderLogRows(logs: readonly ViewerLog[]): string {
  if (logs.length === 0) return '<tr><td colspan="4" class="muted">No log records for this trace (send them with OTEL_LOGS_EXPORTER=otlp).</td></tr>';
  return logs
    .map((log) => {
      const severity = log.severityText || SEVERITY_NAMES[log.severityNumber] || '';
      return `<tr class="log${log.severityNumber >= 17 ? ' error' : log.severityNumber >= 13 ? ' warn' : ''}" data-span-id="${log.spanId}">
<td>${formatTime(Number(log.timeNanos / 1_000_000n))}</td><td>${escapeHtml(severity)}</td>
<td><span class="service" style="--c:${serviceColour(log.serviceName)}">${escapeHtml(log.serviceName)}</span></td>
<td>${escapeHtml(formatAttribute(log.body))}${Object.keys(log.attributes).length > 0 ? `<details><summary>attributes</summary>${attributeTable(log.attributes)}</details>` : ''}</td></tr>`;
    })
    .join('');
}

function axis(totalMs: number): string {
  return [0, 0.25, 0.5, 0.75, 1].map((f) => `<span style="left:${f * 100}%">${formatMillis(totalMs * f)}</span>`).join('');
}

function bounds(trace: StoredTrace): { start: bigint; total: number } {
  let start = trace.spans[0]?.startNanos ?? 0n;
  let end = start;
  for (const span of trace.spans) {
    if (span.startNanos < start) start = span.startNanos;
    if (span.endNanos > end) end = span.endNanos;
  }
  return { start, total: Number(end - start) || 1 };
}

/** The waterfall and the detail panes (the part live updates replace when late spans arrive). */
export function renderTraceView(trace: StoredTrace): string {
  const nodes = flatten(buildTree(trace));
  const { start, total } = bounds(trace);
  const selected = trace.spans.find((span) => span.status === 'error') ?? nodes[0]?.span;
  const rows = nodes.map(({ span, depth, children }) => {
    const left = (Number(span.startNanos - start) / total) * 100;
    const width = Math.max((Number(span.endNanos - span.startNanos) / total) * 100, 0.2);
    const marks = span.events
      .map((event) => `<i class="mark${event.name === 'exception' ? ' error' : ''}" title="${escapeHtml(event.name)}" style="left:${((Number(event.timeNanos - start) / total) * 100).toFixed(2)}%"></i>`)
      .join('');
    return `<div class="row${span.status === 'error' ? ' error' : ''}" id="span-${span.spanId}" data-span-id="${span.spanId}" data-depth="${depth}" tabindex="0">
<div class="name" style="padding-left:${depth * 14}px">${children.length > 0 ? '<button class="toggle" aria-label="collapse">▾</button>' : '<span class="leaf"></span>'}<span class="dot" style="--c:${serviceColour(span.serviceName)}"></span>${escapeHtml(span.name)}<span class="muted"> ${escapeHtml(span.serviceName)}</span></div>
<div class="lane"><div class="bar" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%;--c:${serviceColour(span.serviceName)}"></div>${marks}<span class="dur">${formatMillis(durationMillis(span))}</span></div></div>`;
  });
  return `<div class="trace-view" data-trace-id="${trace.traceId}" data-selected="${selected?.spanId ?? ''}">
<div class="waterfall"><div class="row axis"><div class="name">span</div><div class="lane ticks">${axis(total / 1e6)}</div></div>${rows.join('')}</div>
<aside class="details">${trace.spans.map(detailHtml).join('')}</aside></div>`;
}

/** The whole page. */
export function renderTracePage(trace: StoredTrace, logs: readonly ViewerLog[]): string {
  const root = buildTree(trace)[0]?.span;
  const { start, total } = bounds(trace);
  const services = [...new Set(trace.spans.map((span) => span.serviceName))];
  return layout(
    `Trace ${trace.traceId.slice(0, 8)}`,
    'trace',
    `<div class="trace-head"><h1>${escapeHtml(root?.name ?? trace.traceId)}</h1>
<p class="muted">trace <code>${trace.traceId}</code> · ${trace.spans.length} spans · ${formatMillis(total / 1e6)} · started ${formatTime(Number(start / 1_000_000n))}
· ${services.map((service) => `<span class="service" style="--c:${serviceColour(service)}">${escapeHtml(service)}</span>`).join(' ')}</p></div>
${renderTraceView(trace)}
<h2>Logs</h2><table class="list logs"><thead><tr><th>time</th><th>severity</th><th>service</th><th>message</th></tr></thead><tbody id="log-rows">${renderLogRows(logs)}</tbody></table>`,
  );
}
