import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { PROMETHEUS } from './variables.ts';

/** One PromQL query of a panel. */
export interface Query {
  readonly expr: string;
  /** Series name in the legend, e.g. `{{http_route}}`. */
  readonly legend: string;
}

/** What every panel has. */
interface PanelSpec {
  readonly title: string;
  readonly description: string;
  /** A Grafana unit id: `s`, `reqps`, `percentunit`, `bytes`, `short`... */
  readonly unit: string;
  readonly queries: readonly Query[];
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
  if (spec.exemplars) panel.dataLinks([spec.exemplars.tracesLink]);
  for (const query of targets(spec.queries, spec.exemplars !== undefined, false)) panel.withTarget(query);
  return panel;
}

/** Horizontal bars of an instant query over the dashboard's range: the "top N" panels. */
export function topPanel(spec: PanelSpec): bargauge.PanelBuilder {
  const panel = framed(new bargauge.PanelBuilder(), spec)
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Basic);
  for (const query of targets(spec.queries, false, true)) panel.withTarget(query);
  return panel;
}

/** A state timeline of 0/1 series (a state set such as circuit breaker states). */
export function stateTimelinePanel(spec: PanelSpec): statetimeline.PanelBuilder {
  const panel = framed(new statetimeline.PanelBuilder(), spec)
    .mappings([
      {
        type: dashboard.MappingType.ValueToText,
        options: { '0': { text: 'no', color: 'transparent' }, '1': { text: 'yes', color: 'red' } },
      },
    ]);
  for (const query of targets(spec.queries, false, false)) panel.withTarget(query);
  return panel;
}

/** A section heading; the panels after it belong to it. */
export function row(title: string): dashboard.RowBuilder {
  return new dashboard.RowBuilder(title);
}

/** A panel link that opens the traces datasource in Explore, searching the selected job's traces. */
export function tracesLink(tracesDatasource: string): cog.Builder<dashboard.DashboardLink> {
  const left = JSON.stringify({
    datasource: tracesDatasource,
    queries: [{ refId: 'A', datasource: { uid: tracesDatasource }, queryType: 'search', service: '${job}' }],
    range: { from: '${__from}', to: '${__to}' },
  });
  return new dashboard.DashboardLinkBuilder('Traces of ${job} in this time range')
    .type(dashboard.DashboardLinkType.Link)
    .url(`/explore?left=${encodeURIComponent(left)}`)
    .targetBlank(true);
}

/** The builder methods every panel kind shares. */
interface FramedPanelBuilder<B> {
  title(title: string): B;
  description(description: string): B;
  datasource(datasource: typeof PROMETHEUS): B;
  unit(unit: string): B;
  span(span: number): B;
  height(height: number): B;
}

/** Title, description, datasource, unit and size: the same on every panel. */
function framed<B extends FramedPanelBuilder<B>>(panel: B, spec: PanelSpec): B {
  return panel.title(spec.title).description(spec.description).datasource(PROMETHEUS).unit(spec.unit).span(12).height(8);
}

function targets(queries: readonly Query[], exemplars: boolean, instant: boolean): prometheus.DataqueryBuilder[] {
  return queries.map((query, index) => {
    const target = new prometheus.DataqueryBuilder()
      .refId(String.fromCharCode(65 + index))
      .expr(query.expr)
      .legendFormat(query.legend)
      .exemplar(exemplars);
    if (instant) target.instant().format(prometheus.PromQueryFormat.Table);
    return target;
  });
}
