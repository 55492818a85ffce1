/** Helpers for metrics tests: a real SDK tracer feeding span metrics, and scraping over HTTP. */
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { SpanMetricsProcessor } from 'sightline/sdk';
import type { MetricsRegistry } from 'sightline';


/** A tracer provider (not registered globally) whose finished spans feed `registry` and an in-memory exporter. */
export function spanMetricsProvider(registry: MetricsRegistry): { provider: TracerProvider; exporter: InMemorySpanExporter } {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new SpanMetricsProcessor(registry), new SimpleSpanProcessor({ exporter })],
  });
  return { provider, exporter };
}

/** GETs `url` and returns status, headers and body. */
export async function scrape(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: string }> {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** Number of series (sample lines) of `metric` in a text exposition. */
export function seriesCount(exposition: string, metric: string): number {
  return exposition.split('\n').filter((line) => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `)).length;
}
