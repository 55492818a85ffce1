import { CliUsageError } from 'sightline/errors';
import { DEFAULT_THRESHOLDS } from '../slo/thresholds.ts';
import type { Thresholds } from '../slo/thresholds.ts';

/** The tracing backends whose Grafana datasources the trace links know how to query. */
export const TRACES_BACKENDS = ['jaeger', 'tempo'] as const;

/** A tracing backend: `jaeger` or `tempo`. */
export type TracesBackend = (typeof TRACES_BACKENDS)[number];

/** What a user tailors in the generated dashboards. */
export interface DashboardOptions {
  /** The Prometheus `job` the dashboards open on (the service's scrape job), and the SLO dashboard's service. Default: the first found. */
  readonly service?: string;
  /** UID of the Grafana Prometheus datasource. Default `prometheus`. */
  readonly datasource?: string;
  /** UID of the Grafana traces datasource that latency panels link to. Default `jaeger`. */
  readonly tracesDatasource?: string;
  /** Which backend that datasource is, so the links use its query model. Default `jaeger`. */
  readonly tracesBackend?: TracesBackend;
  /** The thresholds panels draw (the service's, from its SLO file). Default {@link DEFAULT_THRESHOLDS}. */
  readonly thresholds?: Thresholds;
}

/** {@link DashboardOptions} with every default filled in. */
export interface ResolvedDashboardOptions {
  readonly service: string | undefined;
  readonly datasource: string;
  readonly tracesDatasource: string;
  readonly tracesBackend: TracesBackend;
  readonly thresholds: Thresholds;
}

/** Validates and fills in the defaults; the result is frozen. */
export function resolveDashboardOptions(options: DashboardOptions = {}): ResolvedDashboardOptions {
  const tracesBackend = options.tracesBackend ?? 'jaeger';
  if (!TRACES_BACKENDS.includes(tracesBackend)) {
    throw new CliUsageError(`Expected tracesBackend to be one of ${TRACES_BACKENDS.join(', ')}, got ${JSON.stringify(tracesBackend)}.`);
  }
  return Object.freeze({
    service: options.service,
    datasource: options.datasource ?? 'prometheus',
    tracesDatasource: options.tracesDatasource ?? 'jaeger',
    tracesBackend,
    thresholds: options.thresholds ?? DEFAULT_THRESHOLDS,
  });
}
