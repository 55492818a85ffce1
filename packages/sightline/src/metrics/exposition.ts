/**
 * Renders a client registry into the exposition text, byte for byte what
 * its own `metrics()` returns, without `metrics()`'s final `Array.join`.
 *
 * The client renders each metric to one string and joins them. With more
 * than one metric that join copies the whole page into a new string (for
 * 10,000 histogram series, a 1.5 MB copy that costs about a third of the
 * client's render), and the response then copies it again to encode it.
 * Appending the per-metric strings with `+` makes a rope instead, which
 * the response flattens once when it encodes the body.
 *
 * Sightline's histograms render themselves (histogram-store.ts: the same
 * bytes, each series' labels formatted once rather than once per bucket).
 */
import { Registry } from '@prometheus-io/client';
import type { Metric } from '@prometheus-io/client';

/** What the render reads of each registered metric (the client's types leave these out). */
interface RegisteredMetric {
  name: string;
  readonly type: string;
  /** Sightline's histograms render themselves, byte for byte as the client would (see histogram-store.ts). */
  renderText?(openMetrics: boolean): string;
}

/** The registry's metrics as exposition text in the registry's own format (OpenMetrics ends with `# EOF`). */
export async function renderRegistry(registry: Registry): Promise<string> {
  const openMetrics = registry.contentType === Registry.OPENMETRICS_CONTENT_TYPE;
  const rendered = await Promise.all(
    registry.getMetricsAsArray().map((entry) => {
      const metric = entry as unknown as RegisteredMetric;
      // As the client does: an OpenMetrics counter is named without `_total`, which each sample adds back.
      if (openMetrics && metric.type === 'counter') metric.name = metric.name.replace(/_total$/, '');
      if (metric.renderText !== undefined) return Promise.resolve(metric.renderText(openMetrics));
      return registry.getMetricsAsString(metric as unknown as Metric<string>);
    }),
  );
  const separator = openMetrics ? '\n' : '\n\n';
  let text = rendered[0] ?? '';
  for (let i = 1; i < rendered.length; i += 1) text += separator + rendered[i]!;
  return openMetrics ? `${text}\n# EOF\n` : `${text}\n`;
}
