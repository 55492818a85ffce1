import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { catalogue } from 'sightline/metrics';
import { matching, observations, TARGET_UP, targetSeries } from '../promql/selector.ts';
import type { Matchers } from '../promql/selector.ts';
import { SLO_OBJECTIVE } from '../rules/slo-rules.ts';
import type { ResolvedDashboardOptions } from './options.ts';

/**
 * The dashboard variables: the Prometheus datasource, then `job`, the
 * job's `service_name`, `instance` and `route`. Queries select with
 * {@link scope} and {@link ROUTE}, so every panel follows the variables.
 * The SLO dashboard has the datasource and {@link SLO_SERVICE}.
 */

/** The matchers of the selected job and instances. */
export const scope = Object.freeze({ job: '$job', instance: matching('$instance') }) satisfies Matchers<never>;

/** The matcher of the selected HTTP routes. */
export const ROUTE = matching('$route');

/** The range Grafana picks for `rate()` from the scrape interval and the panel's resolution. */
export const RATE_WINDOW = '$__rate_interval';

/** The dashboard's whole time range (for "top N over the range" panels). */
export const RANGE = '$__range';

/** The datasource every panel queries: the `datasource` variable. */
export const PROMETHEUS = Object.freeze({ type: 'prometheus', uid: '${datasource}' });

/** The variable holding the `service.name` of the selected job's telemetry, which trace searches use. */
export const TRACE_SERVICE = 'service_name';

/** The variable of the SLO dashboard: the `service` label of the SLO recording rules. */
export const SLO_SERVICE = 'service';

/**
 * Finds the `service.name` of the job: the `service_name` label of its
 * `target_info` (an OpenTelemetry exporter's resource, or Prometheus's OTLP
 * receiver when it keeps identifying attributes), else the job itself
 * (which is what Prometheus makes `service.name` into for OTLP metrics).
 */
const SERVICE_NAME_OF_JOB =
  `max by (service_name) (${targetSeries<'service_name'>('target_info', { job: '$job', service_name: { op: '!=', value: '' } })})` +
  ` or on () max by (service_name) (label_replace(${targetSeries(TARGET_UP, { job: '$job' })}, "service_name", "$1", "job", "(.*)"))`;

/** The variables of the Overview and Service internals dashboards, in the order Grafana shows them. */
export function variables(options: ResolvedDashboardOptions): cog.Builder<dashboard.VariableModel>[] {
  const job = new dashboard.QueryVariableBuilder('job')
    .label('Job')
    .datasource(PROMETHEUS)
    .query(`label_values(${observations(catalogue.httpServerRequestDuration)}, job)`)
    .refresh(dashboard.VariableRefresh.OnDashboardLoad)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
  if (options.service !== undefined) job.current({ text: options.service, value: options.service });
  const serviceName = new dashboard.QueryVariableBuilder(TRACE_SERVICE)
    .label('Trace service')
    .description('The service.name of the job in traces: target_info\'s service_name, else the job')
    .datasource(PROMETHEUS)
    .query(`query_result(${SERVICE_NAME_OF_JOB})`)
    .regex('/service_name="([^"]+)"/')
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged);
  const instance = multiValueVariable('instance', 'Instance', `label_values(${targetSeries(TARGET_UP, { job: '$job' })}, instance)`);
  const route = multiValueVariable(
    'route',
    'Route',
    `label_values(${observations(catalogue.httpServerRequestDuration, { job: '$job' })}, http_route)`,
  );
  return [datasourceVariable(options), job, serviceName, instance, route];
}

/** The variables of the SLO dashboard: the datasource and the SLO file's service. */
export function sloVariables(options: ResolvedDashboardOptions): cog.Builder<dashboard.VariableModel>[] {
  const service = new dashboard.QueryVariableBuilder(SLO_SERVICE)
    .label('Service')
    .datasource(PROMETHEUS)
    .query(`label_values(${targetSeries(SLO_OBJECTIVE)}, service)`)
    .refresh(dashboard.VariableRefresh.OnDashboardLoad)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
  if (options.service !== undefined) service.current({ text: options.service, value: options.service });
  return [datasourceVariable(options), service];
}

function datasourceVariable(options: ResolvedDashboardOptions): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder('datasource')
    .label('Data source')
    .type('prometheus')
    .current({ text: options.datasource, value: options.datasource });
}

/** A variable of the label values `query` finds, several selectable, `All` (any value) by default. */
function multiValueVariable(name: string, label: string, query: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(PROMETHEUS)
    .query(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ text: 'All', value: '$__all' });
}
