import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { catalogue } from 'sightline/metrics';
import { matching, observations, TARGET_UP, targetSeries } from '../promql/selector.ts';
import type { Matchers } from '../promql/selector.ts';
import type { ResolvedDashboardOptions } from './options.ts';

/**
 * The dashboard variables: the Prometheus datasource, then `job`,
 * `instance` and `route`. Queries select with {@link scope} and
 * {@link ROUTE}, so every panel follows the variables.
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

/** The variables, in the order Grafana shows them. */
export function variables(options: ResolvedDashboardOptions): cog.Builder<dashboard.VariableModel>[] {
  const datasource = new dashboard.DatasourceVariableBuilder('datasource')
    .label('Data source')
    .type('prometheus')
    .current({ text: options.datasource, value: options.datasource });
  const job = new dashboard.QueryVariableBuilder('job')
    .label('Job')
    .datasource(PROMETHEUS)
    .query(`label_values(${observations(catalogue.httpServerRequestDuration)}, job)`)
    .refresh(dashboard.VariableRefresh.OnDashboardLoad)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
  if (options.service !== undefined) job.current({ text: options.service, value: options.service });
  const instance = multiValueVariable('instance', 'Instance', `label_values(${targetSeries(TARGET_UP, { job: '$job' })}, instance)`);
  const route = multiValueVariable(
    'route',
    'Route',
    `label_values(${observations(catalogue.httpServerRequestDuration, { job: '$job' })}, http_route)`,
  );
  return [datasource, job, instance, route];
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
