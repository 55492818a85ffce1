import type { Context } from '@opentelemetry/api';

/**
 * The instruments a {@link MetricsRegistry} hands out for catalogue
 * declarations. Label values are typed by the declaration's label names, so
 * a misspelt or missing label is a compile error. Every label must be given;
 * an empty string is the value for "not applicable" (Prometheus treats an
 * empty label as absent).
 */

/** One value for each label name of a declaration. */
export type LabelValues<L extends string> = { readonly [K in L]: string | number };

/** A monotonically increasing count. */
export interface CounterInstrument<L extends string> {
  /** Adds `value` (default 1, must be non-negative) to the series for `labels`. */
  inc(labels: LabelValues<L>, value?: number): void;
  /**
   * The series for `labels`, for code that records into it again and
   * again: the labels are checked and admitted under the series cap once,
   * not on every call (until admitted, each call takes the path of `inc`).
   * The labels are copied; changing the object later changes nothing.
   */
  bind(labels: LabelValues<L>): BoundCounter;
}

/** One series of a counter; see {@link CounterInstrument.bind}. */
export interface BoundCounter {
  /** Adds `value` (default 1, must be non-negative). */
  inc(value?: number): void;
}

/** A value that goes up and down, set directly or read at scrape time. */
export interface GaugeInstrument<L extends string> {
  set(labels: LabelValues<L>, value: number): void;
  inc(labels: LabelValues<L>, value?: number): void;
  dec(labels: LabelValues<L>, value?: number): void;
  /** Removes the series for `labels` (a cache or consumer that went away). */
  remove(labels: LabelValues<L>): void;
  /**
   * Registers a callback run before each scrape to set current values (queue
   * depth, pool size). A callback that throws or rejects is skipped for that
   * scrape and counted in `sightline_metrics_collector_errors_total`; the
   * scrape still succeeds. Returns a function that removes the callback.
   */
  addCollector(collect: (gauge: GaugeInstrument<L>) => void | Promise<void>): () => void;
}

/** A distribution. */
export interface HistogramInstrument<L extends string> {
  /**
   * Records `value` for `labels`. When the span in `context` (default: the
   * active context) is sampled, its trace and span ids become the exemplar of
   * the bucket, shown in the OpenMetrics format only.
   */
  observe(labels: LabelValues<L>, value: number, context?: Context): void;
  /** The series for `labels`, checked and admitted once; see {@link CounterInstrument.bind}. */
  bind(labels: LabelValues<L>): BoundHistogram;
}

/** One series of a histogram; see {@link HistogramInstrument.bind}. */
export interface BoundHistogram {
  /** Records `value`, with an exemplar as {@link HistogramInstrument.observe} does. */
  observe(value: number, context?: Context): void;
}
