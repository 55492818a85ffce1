import type { HistogramDefinition, MetricDefinition } from 'sightline/metrics';
import { buckets } from './selector.ts';
import type { Matchers, TargetLabel } from './selector.ts';

/**
 * PromQL functions and aggregations. Grouping labels are checked against the
 * declaration the query is about, like selectors.
 */

/** `rate(selector[window])`. */
export function rate(selector: string, window: string): string {
  return `rate(${selector}[${window}])`;
}

/** `sum by (labels) (expression)`, or `sum (expression)` without labels. */
export function sumBy<L extends string>(
  _definition: MetricDefinition<L>,
  labels: readonly (L | TargetLabel)[],
  expression: string,
): string {
  return aggregate('sum', labels, expression);
}

/** `max by (labels) (expression)`: for values every instance reports alike (a broker's backlog, a state). */
export function maxBy<L extends string>(
  _definition: MetricDefinition<L>,
  labels: readonly (L | TargetLabel)[],
  expression: string,
): string {
  return aggregate('max', labels, expression);
}

/**
 * The `q` quantile of a histogram across every instance:
 * `histogram_quantile(q, sum by (le, labels) (rate(name_bucket{...}[window])))`.
 * Rates are taken per series before summing, and `le` is always kept.
 */
export function quantile<L extends string>(
  q: number,
  definition: HistogramDefinition<L>,
  options: { readonly by?: readonly (L | TargetLabel)[]; readonly matchers?: Matchers<L>; readonly window: string },
): string {
  const grouped = aggregate('sum', ['le', ...(options.by ?? [])], rate(buckets(definition, options.matchers ?? {}), options.window));
  return `histogram_quantile(${q}, ${grouped})`;
}

/** `numerator / denominator`, each parenthesised. */
export function ratio(numerator: string, denominator: string): string {
  return `(${numerator}) / (${denominator})`;
}

function aggregate(operator: string, labels: readonly string[], expression: string): string {
  return labels.length === 0 ? `${operator} (${expression})` : `${operator} by (${labels.join(', ')}) (${expression})`;
}
