/**
 * The shape of a metric declaration. Every metric Sightline produces is
 * declared once, in `catalogue.ts`, with these fields; instruments,
 * dashboards, alert rules and the metrics guide are all built from the
 * declarations, so they cannot drift apart.
 *
 * A metric is identified by its OpenTelemetry name and unit (what the OTLP
 * push sends and what the OpenTelemetry metrics API asks for); its
 * Prometheus name is derived from them by {@link prometheusName}.
 */
import { prometheusName } from './naming.ts';

/** Fields every metric declaration has. `L` is the union of its label names. */
interface MetricDefinitionBase<L extends string> {
  /** The Prometheus metric name, e.g. `http_server_request_duration_seconds`. Counters end in `_total`. */
  readonly name: string;
  /** The OpenTelemetry metric name, e.g. `http.server.request.duration`. */
  readonly otelName: string;
  /** The OpenTelemetry (UCUM) unit, e.g. `s`, `By`, `{request}`, or `''`. */
  readonly otelUnit: string;
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

/**
 * How a declaration names its metric: by its OpenTelemetry name and unit
 * (the Prometheus name is then derived, unless `name` overrides it), or by
 * its Prometheus `name` alone (the OpenTelemetry name is then the Prometheus
 * name without `_total`, and the unit is taken from `unit`).
 */
export type MetricNaming =
  | { readonly otelName: string; readonly otelUnit: string; readonly name?: string }
  | { readonly name: string; readonly otelName?: undefined; readonly otelUnit?: undefined };

/** What a declaration states; the naming fields are completed by the helpers. */
type Declared<D> = Omit<D, 'type' | 'name' | 'otelName' | 'otelUnit'> & MetricNaming;

/** The UCUM units of the `unit` words declarations use. */
const UCUM: Readonly<Record<string, string>> = { seconds: 's', bytes: 'By', milliseconds: 'ms' };

function named<T extends MetricDefinition['type'], D extends Declared<object>>(
  type: T,
  declared: D,
): Omit<D, keyof MetricNaming> & { name: string; otelName: string; otelUnit: string; type: T } {
  const { name, otelName, otelUnit, ...others } = declared as Declared<{ unit: string }>;
  const rest = others as unknown as Omit<D, keyof MetricNaming>;
  if (otelName !== undefined) {
    return { ...rest, name: name ?? prometheusName(otelName, otelUnit, type), otelName, otelUnit, type };
  }
  const unit = (others as { unit?: string }).unit ?? '';
  return {
    ...rest,
    name: name,
    otelName: (name).replace(/_total$/, ''),
    otelUnit: UCUM[unit] ?? (unit === '' ? '' : `{${unit}}`),
    type,
  };
}

/** Declares a counter; the label names become a literal type. */
export function counter<const L extends string>(definition: Declared<CounterDefinition<L>>): CounterDefinition<L> {
  return Object.freeze(named('counter', definition));
}

/** Declares a gauge (or, with `states`, a state set); the label names become a literal type. */
export function gauge<const L extends string>(definition: Declared<GaugeDefinition<L>>): GaugeDefinition<L> {
  return Object.freeze(named('gauge', definition));
}

/** Declares a histogram; the label names become a literal type. */
export function histogram<const L extends string>(definition: Declared<HistogramDefinition<L>>): HistogramDefinition<L> {
  return Object.freeze(named('histogram', definition));
}
