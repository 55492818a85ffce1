import { durationSeconds } from './duration.ts';
import type { ThresholdOverrides } from './schema.ts';

/**
 * The values the threshold alerts compare against, and the dashboards draw
 * as threshold lines. Durations are in seconds.
 */
export interface Thresholds {
  /** The window ratios and quantiles are taken over. */
  readonly window: string;
  readonly serverErrorRatio: number;
  readonly latencyP95Seconds: number;
  /** HTTP alerts need at least this many requests per second. */
  readonly minRequestRate: number;
  readonly eventBacklog: number;
  readonly eventLagP95Seconds: number;
  readonly cacheHitRatio: number;
  /** The cache hit-ratio alert needs at least this many lookups per second. */
  readonly minCacheRequestRate: number;
  readonly queryP95Seconds: number;
  /** The slow-query alert needs at least this many queries per second. */
  readonly minQueryRate: number;
}

/** The thresholds of a service whose SLO file sets none. */
export const DEFAULT_THRESHOLDS: Thresholds = Object.freeze({
  window: '5m',
  serverErrorRatio: 0.05,
  latencyP95Seconds: 0.5,
  minRequestRate: 1,
  eventBacklog: 1000,
  eventLagP95Seconds: 30,
  cacheHitRatio: 0.5,
  minCacheRequestRate: 1,
  queryP95Seconds: 0.5,
  minQueryRate: 0.1,
});

/** The defaults with a service's overrides (validated by the SLO file schema) applied; the result is frozen. */
export function resolveThresholds(overrides: ThresholdOverrides = {}): Thresholds {
  const seconds = (text: string | undefined, fallback: number) => (text === undefined ? fallback : durationSeconds(text));
  const d = DEFAULT_THRESHOLDS;
  return Object.freeze({
    window: d.window,
    serverErrorRatio: overrides.serverErrorRatio ?? d.serverErrorRatio,
    latencyP95Seconds: seconds(overrides.latencyP95, d.latencyP95Seconds),
    minRequestRate: overrides.minRequestRate ?? d.minRequestRate,
    eventBacklog: overrides.eventBacklog ?? d.eventBacklog,
    eventLagP95Seconds: seconds(overrides.eventLagP95, d.eventLagP95Seconds),
    cacheHitRatio: overrides.cacheHitRatio ?? d.cacheHitRatio,
    minCacheRequestRate: overrides.minCacheRequestRate ?? d.minCacheRequestRate,
    queryP95Seconds: seconds(overrides.queryP95, d.queryP95Seconds),
    minQueryRate: overrides.minQueryRate ?? d.minQueryRate,
  });
}
