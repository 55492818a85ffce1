/** Small statistics helpers for the benchmark results. */

/** The median of `values` (NaN for none). */
export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

/** The `q` quantile (0..1) of `values` by nearest rank (NaN for none). */
export function percentile(values: readonly number[] | Float64Array, q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** `value / base`, or NaN when either is not a positive finite number. */
export function ratio(value: number, base: number): number {
  return Number.isFinite(value) && Number.isFinite(base) && base > 0 ? value / base : Number.NaN;
}
