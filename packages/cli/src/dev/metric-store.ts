import type { MetricSample } from './otlp/metrics.ts';

/** One series: a metric name and its labels, with its recent points (cumulative values). */
export interface MetricSeries {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly points: readonly { readonly timeMs: number; readonly value: number }[];
}

/** Limits that keep the metric store bounded. */
export interface MetricStoreLimits {
  /** Series kept; the least recently updated goes first. Default 5000. */
  readonly maxSeries?: number;
  /** Points kept per series. Default 360 (30 minutes at one every 5 s). */
  readonly maxPoints?: number;
}

/**
 * Holds recent samples of pushed (OTLP) and scraped (Prometheus text)
 * metrics by series. Delta points are added to the series' last value, so
 * every series holds cumulative values whatever the sender's temporality;
 * a new series whose start time is known begins with a 0 at that time, so
 * its first export already counts as an increase.
 */
export class MetricStore {
  readonly #series = new Map<string, { name: string; labels: Readonly<Record<string, string>>; points: { timeMs: number; value: number }[] }>();
  readonly #maxSeries: number;
  readonly #maxPoints: number;

  constructor(limits: MetricStoreLimits = {}) {
    this.#maxSeries = limits.maxSeries ?? 5000;
    this.#maxPoints = limits.maxPoints ?? 360;
  }

  add(samples: readonly MetricSample[]): void {
    for (const sample of samples) {
      const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
      const series = this.#series.get(key) ?? { name: sample.name, labels: sample.labels, points: [] };
      this.#series.delete(key);
      this.#series.set(key, series);
      if (series.points.length === 0 && sample.startMs !== undefined && sample.startMs < sample.timeMs) series.points.push({ timeMs: sample.startMs, value: 0 });
      const last = series.points.at(-1);
      const value = sample.delta ? (last?.value ?? 0) + sample.value : sample.value;
      if (last !== undefined && last.timeMs === sample.timeMs) last.value = value;
      else series.points.push({ timeMs: sample.timeMs, value });
      if (series.points.length > this.#maxPoints) series.points.shift();
    }
    for (const key of this.#series.keys()) {
      if (this.#series.size <= this.#maxSeries) break;
      this.#series.delete(key);
    }
  }

  /** The series of a metric name. */
  series(name: string): MetricSeries[] {
    return [...this.#series.values()].filter((series) => series.name === name);
  }

  /** How many series are held. */
  get size(): number {
    return this.#series.size;
  }
}
