/**
 * The per-metric series cap. A metric keeps at most `maxSeries` distinct
 * label sets; an observation with a new label set beyond that is folded
 * into one overflow series whose every label is {@link OVERFLOW_LABEL_VALUE},
 * and counted in `sightline_metrics_series_overflow_total`. A metric
 * therefore has at most `maxSeries + 1` series, and memory stays bounded
 * however many distinct values callers pass.
 */

/**
 * The value of every label of the overflow series. It starts with `__` so
 * it cannot be mistaken for a real value such as a route or a tenant named
 * `other` (the tenant-label policy's own fold value).
 */
export const OVERFLOW_LABEL_VALUE = '__overflow__';

/** Remembers the label sets of one metric and decides whether a new one still fits. */
export class SeriesGuard {
  readonly #maxSeries: () => number;
  readonly #seen = new Set<string>();

  /** `maxSeries` is read each time a new label set arrives, so the cap can change while the guard runs. */
  constructor(maxSeries: () => number) {
    this.#maxSeries = maxSeries;
  }

  /** True when the label set `key` is known or fits under the cap (it is then remembered). */
  admit(key: string): boolean {
    if (this.#seen.has(key)) return true;
    if (this.#seen.size >= this.#maxSeries()) return false;
    this.#seen.add(key);
    return true;
  }

  /** Forgets `key` (its series was removed), making room for another. */
  release(key: string): void {
    this.#seen.delete(key);
  }

  /** Number of label sets held, not counting the overflow series. */
  get size(): number {
    return this.#seen.size;
  }
}
