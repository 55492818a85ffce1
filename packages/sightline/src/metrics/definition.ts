/**
 * The shape of a metric declaration. Every metric Sightline produces is
 * declared once, in `catalogue.ts`, with these fields; instruments,
 * dashboards, alert rules and the metrics guide are all built from the
 * declarations, so they cannot drift apart.
 */

/** Fields every metric declaration has. `L` is the union of its label names. */
interface MetricDefinitionBase<L extends string> {
  /** The Prometheus metric name, e.g. `http_server_request_duration_seconds`. Counters end in `_total`. */
  readonly name: string;
  /** One sentence for `# HELP`. */
  readonly help: string;
  /** The base unit (`seconds`, `requests`, `events`, ...), or `''` when the value is a plain count or state. */
  readonly unit: string;
  /** The label names, in the order they are documented. */
  readonly labelNames: readonly L[];
  /**
   * The OpenTelemetry semantic-convention instrument this metric implements
   * (e.g. `http.server.request.duration`), when one exists. Its Prometheus
   * name is then the converted convention name.
   */
  readonly semanticConvention?: string;
}

/** A monotonically increasing count. */
export interface CounterDefinition<L extends string = string> extends MetricDefinitionBase<L> {
  readonly type: 'counter';
}

/** A value that goes up and down, or (with `states`) a state set. */
export interface GaugeDefinition<L extends string = string> extends MetricDefinitionBase<L> {
  readonly type: 'gauge';
  /**
   * For a state set: the values of the `state` label. Exactly one state is 1
   * for each combination of the other labels, all others are 0.
   */
  readonly states?: readonly string[];
}

/** A distribution with fixed bucket boundaries (never a summary: histograms aggregate across instances). */
export interface HistogramDefinition<L extends string = string> extends MetricDefinitionBase<L> {
  readonly type: 'histogram';
  /** Upper bounds of the buckets, ascending; `+Inf` is implied. */
  readonly buckets: readonly number[];
}

/** Any metric declaration. */
export type MetricDefinition<L extends string = string> =
  | CounterDefinition<L>
  | GaugeDefinition<L>
  | HistogramDefinition<L>;

/** The label names of a declaration. */
export type LabelNamesOf<D> = D extends MetricDefinitionBase<infer L> ? L : never;

/** Declares a counter; the label names become a literal type. */
export function counter<const L extends string>(
  definition: Omit<CounterDefinition<L>, 'type'>,
): CounterDefinition<L> {
  return Object.freeze({ ...definition, type: 'counter' });
}

/** Declares a gauge (or, with `states`, a state set); the label names become a literal type. */
export function gauge<const L extends string>(
  definition: Omit<GaugeDefinition<L>, 'type'>,
): GaugeDefinition<L> {
  return Object.freeze({ ...definition, type: 'gauge' });
}

/** Declares a histogram; the label names become a literal type. */
export function histogram<const L extends string>(
  definition: Omit<HistogramDefinition<L>, 'type'>,
): HistogramDefinition<L> {
  return Object.freeze({ ...definition, type: 'histogram' });
}
