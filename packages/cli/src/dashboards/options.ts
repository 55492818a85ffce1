/** What a user tailors in the generated dashboards. */
export interface DashboardOptions {
  /** The Prometheus `job` the dashboards open on (the service's scrape job). Default: the first job found. */
  readonly service?: string;
  /** UID of the Grafana Prometheus datasource. Default `prometheus`. */
  readonly datasource?: string;
  /** UID of the Grafana traces datasource (Jaeger or Tempo) that latency panels link to. Default `jaeger`. */
  readonly tracesDatasource?: string;
}

/** {@link DashboardOptions} with every default filled in. */
export interface ResolvedDashboardOptions {
  readonly service: string | undefined;
  readonly datasource: string;
  readonly tracesDatasource: string;
}

/** Fills in the defaults; the result is frozen. */
export function resolveDashboardOptions(options: DashboardOptions = {}): ResolvedDashboardOptions {
  return Object.freeze({
    service: options.service,
    datasource: options.datasource ?? 'prometheus',
    tracesDatasource: options.tracesDatasource ?? 'jaeger',
  });
}
