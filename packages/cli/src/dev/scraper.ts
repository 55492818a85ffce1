/**
 * Scrapes Prometheus `/metrics` URLs into the viewer's metric store at a fixed
 * interval, for services that expose metrics rather than push them. A failed
 * scrape is reported once until the target answers again.
 */
import type { Ingest } from './ingest.ts';
import { parsePrometheusText } from './prometheus-text.ts';

/** Options of {@link startScraping}. */
export interface ScrapeOptions {
  readonly urls: readonly string[];
  /** Default 2000. */
  readonly intervalMillis?: number;
  /** Called when a target starts failing (not again until it has answered). */
  readonly onFailure?: (url: string, reason: string) => void;
}

/** Starts scraping; returns a function that stops it. */
export function startScraping(ingest: Ingest, options: ScrapeOptions): () => void {
  const failing = new Set<string>();
  const scrapeOnce = async (url: string): Promise<void> => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000), headers: { accept: 'text/plain' } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const text = await response.text();
      const timeMs = Date.now();
      const job = new URL(url).host;
      ingest.acceptSamples(parsePrometheusText(text).map((sample) => ({ name: sample.name, labels: { job, ...sample.labels }, value: sample.value, timeMs, delta: false })));
      failing.delete(url);
    } catch (error) {
      if (!failing.has(url)) options.onFailure?.(url, error instanceof Error ? error.message : String(error));
      failing.add(url);
    }
  };
  const scrapeAll = (): void => {
    for (const url of options.urls) void scrapeOnce(url);
  };
  scrapeAll();
  const timer = setInterval(scrapeAll, options.intervalMillis ?? 2000);
  timer.unref();
  return () => clearInterval(timer);
}
