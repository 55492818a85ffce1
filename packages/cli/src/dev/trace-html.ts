import { formatAttribute } from './otlp-json.ts';
import { buildTree, durationMillis, flatten } from './trace-tree.ts';
import type { StoredTrace } from './trace-store.ts';

/** Escapes text for HTML element content and attribute values. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;width:100%}
td,th{padding:.3rem .6rem;border-bottom:1px solid #eee;text-align:left;vertical-align:top}.error{color:#b00020;font-weight:600}
.bar{position:relative;height:14px;background:#f3f3f3;min-width:320px}.bar span{position:absolute;top:0;bottom:0;background:#4f7cff}
.bar span.error{background:#e5484d}.attrs{color:#666;font-size:12px}code{font-size:12px}`;

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** The list of recent traces, newest first. */
export function renderTraceList(traces: readonly StoredTrace[]): string {
  const rows = traces.map((trace) => {
    const root = flatten(buildTree(trace))[0]?.span;
    const failed = trace.spans.some((span) => span.status === 'error');
    const tenant = trace.spans.find((span) => span.attributes['tenant.id'] !== undefined)?.attributes['tenant.id'];
    return `<tr><td><a href="/traces/${trace.traceId}">${escapeHtml(root?.name ?? trace.traceId)}</a></td>
<td>${escapeHtml(root?.serviceName ?? '')}</td><td>${root ? durationMillis(root).toFixed(1) : ''} ms</td>
<td>${trace.spans.length}</td><td>${escapeHtml(tenant === undefined ? '' : formatAttribute(tenant))}</td>
<td class="${failed ? 'error' : ''}">${failed ? 'error' : 'ok'}</td><td><code>${trace.traceId}</code></td></tr>`;
  });
  return page(
    'Sightline traces',
    `<h1>Recent traces</h1><p>${traces.length} traces. Newest first; reload to refresh.</p>
<table><tr><th>root span</th><th>service</th><th>duration</th><th>spans</th><th>tenant</th><th>status</th><th>trace id</th></tr>${rows.join('')}</table>`,
  );
}

/** One trace as a waterfall: a row per span, indented by depth, with a bar for its time. */
export function renderTraceDetail(trace: StoredTrace): string {
  const nodes = flatten(buildTree(trace));
  const start = trace.spans.reduce((min, span) => (span.startNanos < min ? span.startNanos : min), trace.spans[0]?.startNanos ?? 0n);
  const end = trace.spans.reduce((max, span) => (span.endNanos > max ? span.endNanos : max), start);
  const total = Number(end - start) || 1;
  const rows = nodes.map(({ span, depth }) => {
    const left = (Number(span.startNanos - start) / total) * 100;
    const width = Math.max((Number(span.endNanos - span.startNanos) / total) * 100, 0.3);
    const attrs = Object.entries(span.attributes)
      .map(([key, value]) => `${escapeHtml(key)}=${escapeHtml(JSON.stringify(value))}`)
      .join(' ');
    const errorClass = span.status === 'error' ? 'error' : '';
    return `<tr><td style="padding-left:${0.6 + depth * 1.2}rem" class="${errorClass}">${escapeHtml(span.name)}
<div class="attrs">${escapeHtml(span.kind)} · ${escapeHtml(span.serviceName)}${span.statusMessage ? ` · ${escapeHtml(span.statusMessage)}` : ''}</div></td>
<td>${durationMillis(span).toFixed(2)} ms</td><td><div class="bar"><span class="${errorClass}" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%"></span></div>
<div class="attrs">${attrs}</div></td></tr>`;
  });
  return page(
    `Trace ${trace.traceId}`,
    `<p><a href="/">all traces</a></p><h1>Trace <code>${trace.traceId}</code></h1>
<table><tr><th>span</th><th>duration</th><th>timeline</th></tr>${rows.join('')}</table>`,
  );
}
