/** The frame every viewer page shares: head, navigation, escaping, service colours. */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A stable colour per service name, so a service looks the same on every page. */
export function serviceColour(service: string): string {
  let hash = 0;
  for (const char of service) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return `hsl(${hash % 360} 60% 55%)`;
}

/** Milliseconds as the pages show them. */
export function formatMillis(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** Wall-clock time of day with milliseconds. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}

/** A whole page; `page` names the script behaviour (`traces`, `trace`, `metrics`). */
export function layout(title: string, page: 'traces' | 'trace' | 'metrics', body: string): string {
  const nav = [
    ['traces', '/', 'Traces'],
    ['metrics', '/metrics', 'Metrics'],
  ]
    .map(([name, href, label]) => `<a href="${href}"${name === page || (page === 'trace' && name === 'traces') ? ' class="current"' : ''}>${label}</a>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)} · Sightline</title><link rel="stylesheet" href="/assets/viewer.css"></head>
<body data-page="${page}"><header><strong>Sightline</strong> <span class="muted">local viewer</span><nav>${nav}</nav><span id="live" class="muted" title="live updates">●</span></header>
<main>${body}</main><script src="/assets/viewer.js" defer></script></body></html>`;
}
