/** Bucket boundaries shared by several catalogue metrics, in seconds. */

/**
 * The OpenTelemetry semantic-convention boundaries for HTTP and messaging
 * durations. They include 0.5 s, so a 500 ms latency objective is exact.
 */
export const REQUEST_DURATION_BUCKETS = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);

/** The semantic-convention boundaries for database client operations. */
export const DB_OPERATION_BUCKETS = Object.freeze([0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10]);

/** In-process and remote cache lookups: from 50 µs to 1 s. */
export const CACHE_OPERATION_BUCKETS = Object.freeze([
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
]);

/** Event lag (handler start minus event time): from 10 ms to 10 min, with 30 s exact. */
export const EVENT_LAG_BUCKETS = Object.freeze([
  0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
]);
