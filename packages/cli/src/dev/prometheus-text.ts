/**
 * Reads the Prometheus text exposition format (and OpenMetrics, whose
 * exemplars and `# EOF` it skips) into samples, and answers the few
 * questions the viewer's metrics page and the demo's summary ask: sums by
 * label and quantiles from histogram buckets, computed the way PromQL's
 * histogram_quantile does.
 */

/** One sample of a scrape. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*?)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function unescape(value: string): string {
  return value.replace(/\\(["\\n])/g, (_match, char: string) => (char === 'n' ? '\n' : char));
}

/** Every sample of a scrape; comment lines are skipped. */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [, name, labelText, value] = SAMPLE.exec(line) ?? [];
    if (name === undefined || value === undefined) continue;
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (labelText ?? '').matchAll(LABEL)) if (key !== undefined) labels[key] = unescape(raw ?? '');
    samples.push({ name, labels, value: Number(value) });
  }
  return samples;
}

/** Sums the samples named `name` that match `where`, grouped by the values of `by` (joined with a space). */
export function sumBy(
  samples: readonly Sample[],
  name: string,
  by: readonly string[],
  where: Readonly<Record<string, string>> = {},
): Map<string, number> {
  const sums = new Map<string, number>();
  for (const sample of samples) {
    if (sample.name !== name || !Object.entries(where).every(([key, value]) => sample.labels[key] === value)) continue;
    const key = by.map((label) => sample.labels[label] ?? '').join(' ');
    sums.set(key, (sums.get(key) ?? 0) + sample.value);
  }
  return sums;
}

/**
 * The `q` quantile of histogram `name` (the base name, without `_bucket`)
 * over the samples matching `where`, interpolated linearly inside the bucket
 * as histogram_quantile does; undefined without observations.
 */
export function histogramQuantile(
  samples: readonly Sample[],
  name: string,
  q: number,
  where: Readonly<Record<string, string>> = {},
): number | undefined {
  const buckets = [...sumBy(samples, `${name}_bucket`, ['le'], where)]
    .map(([le, count]) => ({ le: le === '+Inf' ? Infinity : Number(le), count }))
    .sort((a, b) => a.le - b.le);
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return undefined;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const { le, count } of buckets) {
    if (count >= rank) {
      if (le === Infinity) return lower;
      return lower + ((le - lower) * (rank - below)) / Math.max(count - below, 1e-9);
    }
    lower = le;
    below = count;
  }
  return lower;
}
