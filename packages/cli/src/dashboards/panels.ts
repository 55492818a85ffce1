import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { PROMETHEUS } from './variables.ts';

/** One PromQL query of a panel. */
export interface Query {
  readonly expr: string;
  /** Series name in the legend, e.g. `{{http_route}}`. */
  readonly legend: string;
}

/** Threshold colours: `base` below the first step, then each step's colour from its value up. */
export interface ThresholdSteps {
  readonly base: string;
  readonly steps: readonly { readonly value: number; readonly color: string }[];
}

/** Red from `value` up: for a value that should stay low (error ratio, latency, backlog). */
export function redAbove(value: number): ThresholdSteps {
  return { base: 'green', steps: [{ value, color: 'red' }] };
}

/** Red below `value`: for a value that should stay high (hit ratio). */
export function redBelow(value: number): ThresholdSteps {
  return { base: 'red', steps: [{ value, color: 'green' }] };
}

/** What every panel has. */
export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  /** A Grafana unit id (see `@grafana/grafana-foundation-sdk/units`): `s`, `reqps`, `eps`, `percentunit`, `suffix: spans/s`... */
  readonly unit: string;
  readonly queries: readonly Query[];
  /** The panel's natural thresholds, drawn as dashed lines on a graph and as colours on bars and stats. */
  readonly thresholds?: ThresholdSteps;
}

/** A time series; `exemplars` (latency panels) shows the exemplars that link to the trace. */
export interface TimeSeriesSpec extends PanelSpec {
  readonly stacked?: boolean;
  readonly exemplars?: { readonly tracesLink: cog.Builder<dashboard.DashboardLink> };
}

/** A time series panel, full or half width. */
export function timeSeriesPanel(spec: TimeSeriesSpec): timeseries.PanelBuilder {
  const panel = framed(new timeseries.PanelBuilder(), spec)
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom))
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
  if (spec.stacked === true) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal)).fillOpacity(40);
  if (spec.thresholds) panel.thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  if (spec.exemplars) panel.dataLinks([spec.exemplars.tracesLink]);
  for (const query of targets(spec.queries, spec.exemplars !== undefined, false)) panel.withTarget(query);
  return panel;
}

/**
 * Horizontal bars, one per series of an instant query over the dashboard's
 * range (one per route): the "top N" panels. Each series keeps its own
 * row, reduced to its last value.
 */
export function topPanel(spec: PanelSpec): bargauge.PanelBuilder {
  const panel = framed(new bargauge.PanelBuilder(), spec)
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Basic)
    .reduceOptions(new common.ReduceDataOptionsBuilder().values(false).calcs(['lastNotNull']));
  for (const query of targets(spec.queries, false, true)) panel.withTarget(query);
  return panel;
}

/** Big numbers, one per series of an instant query (budget left, SLI), coloured by the thresholds. */
export function statPanel(spec: PanelSpec & { readonly decimals?: number }): stat.PanelBuilder {
  const panel = framed(new stat.PanelBuilder(), spec)
    .reduceOptions(new common.ReduceDataOptionsBuilder().values(false).calcs(['lastNotNull']))
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None);
  if (spec.decimals !== undefined) panel.decimals(spec.decimals);
  for (const query of targets(spec.queries, false, true)) panel.withTarget(query);
  return panel;
}

/** What a state timeline shows for each value. */
export type ValueTexts = Readonly<Record<string, { readonly text: string; readonly color: string }>>;

/** 0/1 series of a state set, such as circuit breaker states. */
export const YES_NO: ValueTexts = { '0': { text: 'no', color: 'transparent' }, '1': { text: 'yes', color: 'red' } };

/** A state timeline: each series a row, each value shown as `values` names it. */
export function stateTimelinePanel(spec: PanelSpec & { readonly values: ValueTexts }): statetimeline.PanelBuilder {
  const panel = framed(new statetimeline.PanelBuilder(), spec).mappings([
    { type: dashboard.MappingType.ValueToText, options: Object.fromEntries(Object.entries(spec.values).map(([value, text]) => [value, { ...text }])) },
  ]);
  for (const query of targets(spec.queries, false, false)) panel.withTarget(query);
  return panel;
}

/** A section heading; the panels after it belong to it. */
export function row(title: string): dashboard.RowBuilder {
  return new dashboard.RowBuilder(title);
}

/** The builder methods every panel kind shares. */
interface FramedPanelBuilder<B> {
  title(title: string): B;
  description(description: string): B;
  datasource(datasource: typeof PROMETHEUS): B;
  unit(unit: string): B;
  span(span: number): B;
  height(height: number): B;
  thresholds(thresholds: cog.Builder<dashboard.ThresholdsConfig>): B;
}

/** Title, description, datasource, unit, thresholds and size: the same on every panel. */
function framed<B extends FramedPanelBuilder<B>>(panel: B, spec: PanelSpec): B {
  const framedPanel = panel.title(spec.title).description(spec.description).datasource(PROMETHEUS).unit(spec.unit).span(12).height(8);
  if (spec.thresholds === undefined) return framedPanel;
  return framedPanel.thresholds(
    new dashboard.ThresholdsConfigBuilder()
      .mode(dashboard.ThresholdsMode.Absolute)
      .steps([{ value: null, color: spec.thresholds.base }, ...spec.thresholds.steps.map((step) => ({ ...step }))]),
  );
}

function targets(queries: readonly Query[], exemplars: boolean, instant: boolean): prometheus.DataqueryBuilder[] {
  return queries.map((query, index) => {
    const target = new prometheus.DataqueryBuilder()
      .refId(String.fromCharCode(65 + index))
      .expr(query.expr)
      .legendFormat(query.legend)
      .exemplar(exemplars);
    // An instant query in the time-series format: one series, so one bar or number, per label set.
    if (instant) target.instant().format(prometheus.PromQueryFormat.TimeSeries);
    return target;
  });
}
