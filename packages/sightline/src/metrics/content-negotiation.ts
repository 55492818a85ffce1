/**
 * Picks the exposition format from a scraper's `Accept` header: OpenMetrics
 * (with exemplars) when it asks for `application/openmetrics-text` at least
 * as strongly as for the classic text format, the classic text format 0.0.4
 * otherwise (no header, `*\/*`, `text/plain`, anything else).
 */
import type { MetricsFormat } from './registry.ts';

const OPENMETRICS = 'application/openmetrics-text';

/** The format to answer a request whose `Accept` header is `accept`. */
export function negotiateFormat(accept: string | undefined): MetricsFormat {
  if (accept === undefined) return 'prometheus';
  let openMetrics = 0;
  let text = 0;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const quality = qualityOf(params);
    if (type === OPENMETRICS) openMetrics = Math.max(openMetrics, quality);
    else if (type === 'text/plain') text = Math.max(text, quality);
  }
  return openMetrics > 0 && openMetrics >= text ? 'openmetrics' : 'prometheus';
}

function qualityOf(params: readonly string[]): number {
  for (const param of params) {
    if (param.startsWith('q=')) {
      const quality = Number(param.slice(2));
      return Number.isFinite(quality) ? Math.min(Math.max(quality, 0), 1) : 0;
    }
  }
  return 1;
}
