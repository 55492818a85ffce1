import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { ResolvedDashboardOptions, TracesBackend } from './options.ts';
import { TRACE_SERVICE } from './variables.ts';

/**
 * The link from latency panels to the traces behind them: Grafana Explore
 * on the traces datasource, searching the traces of the selected service
 * in the panel's time range. The search is by the `service.name` resource
 * attribute (the `service_name` variable), which is not always the
 * Prometheus `job`. Jaeger and Tempo take different query models.
 */
export function tracesLink(options: ResolvedDashboardOptions): cog.Builder<dashboard.DashboardLink> {
  const datasource = { type: options.tracesBackend, uid: options.tracesDatasource };
  const left = JSON.stringify({
    datasource: options.tracesDatasource,
    queries: [{ refId: 'A', datasource, ...TRACE_QUERIES[options.tracesBackend] }],
    range: { from: '${__from}', to: '${__to}' },
  });
  return new dashboard.DashboardLinkBuilder(`Traces of \${${TRACE_SERVICE}} in this time range`)
    .type(dashboard.DashboardLinkType.Link)
    .url(`/explore?left=${encodeURIComponent(left)}`)
    .targetBlank(true);
}

/** The search for one service's traces, in each backend's query model. */
const TRACE_QUERIES: Readonly<Record<TracesBackend, Readonly<Record<string, string>>>> = {
  jaeger: { queryType: 'search', service: `\${${TRACE_SERVICE}}` },
  tempo: { queryType: 'traceql', query: `{resource.service.name="\${${TRACE_SERVICE}}"}` },
};
