/**
 * The handle `startTelemetry` returns, and its two implementations: one for
 * running telemetry and one that does nothing (telemetry disabled). The
 * classes stay internal; callers see the {@link Telemetry} interface.
 */
import { diag } from '@opentelemetry/api';
import { createMetricsRegistry } from '../metrics/registry.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';
import type { ResolvedTelemetryConfig } from './config/types.ts';
import type { TelemetrySpanStats } from './span-stats.ts';

/** Running (or disabled) telemetry. Every method is safe to call at any time and never rejects. */
export interface Telemetry extends AsyncDisposable {
  /** The resolved, frozen configuration telemetry runs with. */
  readonly config: ResolvedTelemetryConfig;
  /**
   * The metrics registry: span metrics and the span pipeline's self-metrics
   * are in it, the metrics server (when `metrics.exporter` is `prometheus`)
   * serves it, and the application can add catalogue instruments or mount
   * `createMetricsHandler(telemetry.metrics)` on its own server.
   */
  readonly metrics: MetricsRegistry;
  /** The scrape URL of the metrics server, when `metrics.exporter` is `prometheus`; otherwise undefined. */
  readonly metricsUrl: string | undefined;
  /**
   * Exports every pending span, waiting at most `config.shutdown.timeoutMillis`,
   * then stops: instrumentations are disabled and the global tracer provider,
   * context manager and propagator are removed, so `startTelemetry` may be
   * called again. Idempotent: later calls return the same promise.
   */
  shutdown(): Promise<void>;
  /** Exports every span finished so far. Export failures are counted in {@link stats} and logged through `diag`. */
  forceFlush(): Promise<void>;
  /** Counts of exported, dropped and failed spans and the batch queue's size and capacity. */
  stats(): TelemetrySpanStats;
}

const NO_SPANS: TelemetrySpanStats = Object.freeze({ exported: 0, dropped: 0, failed: 0, queueSize: 0, queueCapacity: 0 });

/** The handle of disabled telemetry: nothing was started, so there is nothing to flush or stop. */
export class DisabledTelemetry implements Telemetry {
  readonly config: ResolvedTelemetryConfig;
  /** An empty registry (no runtime metrics, the configured tenant-label policy), so code that records metrics runs unchanged. */
  readonly metrics: MetricsRegistry;
  readonly metricsUrl: string | undefined = undefined;

  constructor(config: ResolvedTelemetryConfig) {
    this.config = config;
    const { maxSeriesPerMetric, tenantLabels } = config.metrics;
    this.metrics = createMetricsRegistry({ defaultMetrics: false, maxSeriesPerMetric, tenantLabelPolicy: tenantLabels });
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  stats(): TelemetrySpanStats {
    return NO_SPANS;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }
}

/** What a running pipeline offers its handle; built by `startTelemetry`. */
export interface TelemetryPipeline {
  /** Flushes and shuts the tracer provider down (its processors and exporter). May reject or hang. */
  readonly shutdownProvider: () => Promise<void>;
  /** Flushes the tracer provider. May reject. */
  readonly flushProvider: () => Promise<void>;
  /** Removes everything registered globally (instrumentations, globals, process hooks). Never throws. */
  readonly unregister: () => void;
  readonly stats: () => TelemetrySpanStats;
  readonly metrics: MetricsRegistry;
  readonly metricsUrl: string | undefined;
}

/** The handle of running telemetry. */
export class RunningTelemetry implements Telemetry {
  readonly config: ResolvedTelemetryConfig;
  readonly #pipeline: TelemetryPipeline;
  #shutdown: Promise<void> | undefined;
  /** Flushes under way; shutdown waits for them, so spans they are exporting count before it resolves. */
  readonly #flushes = new Set<Promise<void>>();

  constructor(config: ResolvedTelemetryConfig, pipeline: TelemetryPipeline) {
    this.config = config;
    this.#pipeline = pipeline;
  }

  get metrics(): MetricsRegistry {
    return this.#pipeline.metrics;
  }

  get metricsUrl(): string | undefined {
    return this.#pipeline.metricsUrl;
  }

  shutdown(): Promise<void> {
    this.#shutdown ??= this.#stop();
    return this.#shutdown;
  }

  forceFlush(): Promise<void> {
    if (this.#shutdown !== undefined) return this.#shutdown;
    const flush = this.#pipeline.flushProvider().then(
      () => undefined,
      (error: unknown) => diag.error('sightline: span export failed during forceFlush', error),
    );
    this.#flushes.add(flush);
    void flush.finally(() => this.#flushes.delete(flush));
    return flush;
  }

  stats(): TelemetrySpanStats {
    return this.#pipeline.stats();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }

  async #stop(): Promise<void> {
    const { timeoutMillis } = this.config.shutdown;
    const stopped = Promise.all(this.#flushes).then(() => this.#pipeline.shutdownProvider());
    const flushed = await settleWithin(stopped, timeoutMillis);
    if (flushed === 'timeout') {
      const { queueSize } = this.#pipeline.stats();
      diag.warn(
        `sightline: telemetry shutdown did not finish within ${timeoutMillis} ms (shutdown.timeoutMillis); ` +
          `${queueSize} queued spans and any export in flight may be lost`,
      );
    } else if (flushed !== 'done') {
      diag.error('sightline: span export failed during shutdown', flushed.error);
    }
    this.#pipeline.unregister();
  }
}

type Settled = 'done' | 'timeout' | { readonly error: unknown };

/** Waits for `promise` at most `timeoutMillis`; never rejects. The timer never holds the process open. */
function settleWithin(promise: Promise<void>, timeoutMillis: number): Promise<Settled> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMillis);
    timer.unref();
  });
  const settled = promise.then(
    (): Settled => 'done',
    (error: unknown): Settled => ({ error }),
  );
  return Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
}
