import type { CounterDefinition, GaugeDefinition, HistogramDefinition } from 'sightline/metrics';

/**
 * Series selectors built from catalogue declarations: the metric name comes
 * from the declaration and every label a selector names is checked against
 * the declaration's label names at compile time, so a renamed metric or
 * label breaks the build instead of a dashboard.
 */

/** Labels Prometheus attaches to every scraped series. */
export type TargetLabel = 'job' | 'instance';

/** A label matcher: `=`, `!=`, `=~` or `!~` and its value. */
export interface Matcher {
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** Matchers by label name; a plain string means equality. */
export type Matchers<L extends string> = { readonly [K in L | TargetLabel]?: string | Matcher };

/** Prometheus's own per-target series: 1 when the last scrape succeeded, 0 when it failed. */
export const TARGET_UP = 'up';

/** A regular-expression matcher. */
export function matching(value: string): Matcher {
  return { op: '=~', value };
}

/**
 * The `le` matcher of the bucket whose upper bound is `seconds`, in both
 * spellings of the bound: as the exporter wrote it (`le="1"`) and as
 * Prometheus 3 stores it, normalised to a float (`le="1.0"`). A bound with
 * a fraction (`0.5`) is spelled the same way by both and stays an equality.
 */
export function bucketBound(seconds: number): string | Matcher {
  const text = String(seconds);
  return Number.isInteger(seconds) ? matching(`${text}|${text}\\.0`) : text;
}

/** `name{matchers}` of a counter or gauge. */
export function series<L extends string>(
  definition: CounterDefinition<L> | GaugeDefinition<L>,
  matchers: Matchers<L> = {},
): string {
  return withMatchers(definition.name, matchers);
}

/** The `_bucket` series of a histogram; `le` can be matched. */
export function buckets<L extends string>(
  definition: HistogramDefinition<L>,
  matchers: Matchers<L> & { readonly le?: string | Matcher } = {},
): string {
  return withMatchers(`${definition.name}_bucket`, matchers);
}

/** The `_count` series of a histogram (one per observation). */
export function observations<L extends string>(definition: HistogramDefinition<L>, matchers: Matchers<L> = {}): string {
  return withMatchers(`${definition.name}_count`, matchers);
}

/** The `_sum` series of a histogram. */
export function total<L extends string>(definition: HistogramDefinition<L>, matchers: Matchers<L> = {}): string {
  return withMatchers(`${definition.name}_sum`, matchers);
}

/**
 * `name{...}` of a series outside the catalogue: one Prometheus creates
 * itself ({@link TARGET_UP}, `target_info`, `ALERTS`) or a recording rule's.
 * `L` names the labels it may be matched on besides `job` and `instance`.
 */
export function targetSeries<L extends string = never>(name: string, matchers: Matchers<L> = {}): string {
  return withMatchers(name, matchers);
}

function withMatchers(name: string, matchers: Readonly<Record<string, string | Matcher | undefined>>): string {
  const parts = Object.entries(matchers).flatMap(([label, matcher]) => {
    if (matcher === undefined) return [];
    const { op, value } = typeof matcher === 'string' ? { op: '=', value: matcher } : matcher;
    return [`${label}${op}"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`];
  });
  return parts.length === 0 ? name : `${name}{${parts.join(', ')}}`;
}
