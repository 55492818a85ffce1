/**
 * Span pipeline counts, read from the batch span processor's own
 * self-observability metrics. `@opentelemetry/sdk-trace` 3.x records
 * `otel.sdk.processor.span.processed` (with `error.type` `queue_full` for a
 * drop, the export error's name for a failed export, and no `error.type` for
 * a successful one), `otel.sdk.processor.span.queue.capacity` and an
 * observable `otel.sdk.processor.span.queue.size` on the `MeterProvider`
 * passed as `selfObsMeterProvider`. {@link SpanStatsMeterProvider} is that
 * provider: it keeps exactly these instruments as plain numbers and ignores
 * every other instrument, so no metrics SDK is needed.
 */
import { createNoopMeter } from '@opentelemetry/api';
import type {
  Attributes,
  Counter,
  Meter,
  MeterProvider,
  MetricAttributes,
  ObservableCallback,
  ObservableResult,
  ObservableUpDownCounter,
  UpDownCounter,
} from '@opentelemetry/api';

/** Counts of the span pipeline since telemetry started. */
export interface TelemetrySpanStats {
  /** Spans the exporter accepted. */
  readonly exported: number;
  /** Spans dropped because the batch queue was full (typically while the collector is unreachable). */
  readonly dropped: number;
  /** Spans whose export failed (collector unreachable, rejected, timed out). */
  readonly failed: number;
  /** Spans waiting in the batch queue right now. */
  readonly queueSize: number;
  /** The most spans the batch queue holds (`batch.maxQueueSize`); 0 when nothing is exported. */
  readonly queueCapacity: number;
}

const PROCESSED = 'otel.sdk.processor.span.processed';
const QUEUE_SIZE = 'otel.sdk.processor.span.queue.size';
const QUEUE_CAPACITY = 'otel.sdk.processor.span.queue.capacity';
const ERROR_TYPE = 'error.type';
const QUEUE_FULL = 'queue_full';

/** A `MeterProvider` that turns the batch span processor's metrics into {@link TelemetrySpanStats}. */
export class SpanStatsMeterProvider implements MeterProvider {
  readonly #meter: SpanStatsMeter = new SpanStatsMeter();

  getMeter(): Meter {
    return this.#meter;
  }

  /** The counts so far; the queue size is observed now. */
  stats(): TelemetrySpanStats {
    return this.#meter.stats();
  }
}

class SpanStatsMeter implements Meter {
  readonly #noop: Meter = createNoopMeter();
  #exported = 0;
  #dropped = 0;
  #failed = 0;
  #queueCapacity = 0;
  readonly #queueSizeCallbacks = new Set<ObservableCallback>();

  stats(): TelemetrySpanStats {
    let queueSize = 0;
    const result: ObservableResult = {
      observe: (value: number) => {
        queueSize += value;
      },
    };
    for (const callback of this.#queueSizeCallbacks) void callback(result);
    return {
      exported: this.#exported,
      dropped: this.#dropped,
      failed: this.#failed,
      queueSize,
      queueCapacity: this.#queueCapacity,
    };
  }

  createCounter<A extends MetricAttributes = MetricAttributes>(
    ...args: Parameters<Meter['createCounter']>
  ): Counter<A> {
    if (args[0] !== PROCESSED) return this.#noop.createCounter<A>(...args);
    return {
      add: (value: number, attributes?: Attributes) => {
        const errorType = attributes?.[ERROR_TYPE];
        if (errorType === QUEUE_FULL) this.#dropped += value;
        else if (errorType === undefined) this.#exported += value;
        else this.#failed += value;
      },
    };
  }

  createUpDownCounter<A extends MetricAttributes = MetricAttributes>(
    ...args: Parameters<Meter['createUpDownCounter']>
  ): UpDownCounter<A> {
    if (args[0] !== QUEUE_CAPACITY) return this.#noop.createUpDownCounter<A>(...args);
    return {
      add: (value: number) => {
        this.#queueCapacity += value;
      },
    };
  }

  createObservableUpDownCounter<A extends MetricAttributes = MetricAttributes>(
    ...args: Parameters<Meter['createObservableUpDownCounter']>
  ): ObservableUpDownCounter<A> {
    if (args[0] !== QUEUE_SIZE) return this.#noop.createObservableUpDownCounter<A>(...args);
    const callbacks = this.#queueSizeCallbacks;
    return {
      addCallback: (callback: ObservableCallback<A>) => {
        callbacks.add(callback);
      },
      removeCallback: (callback: ObservableCallback<A>) => {
        callbacks.delete(callback);
      },
    };
  }

  createGauge: Meter['createGauge'] = (...args) => this.#noop.createGauge(...args);
  createHistogram: Meter['createHistogram'] = (...args) => this.#noop.createHistogram(...args);
  createObservableGauge: Meter['createObservableGauge'] = (...args) => this.#noop.createObservableGauge(...args);
  createObservableCounter: Meter['createObservableCounter'] = (...args) =>
    this.#noop.createObservableCounter(...args);
  addBatchObservableCallback: Meter['addBatchObservableCallback'] = (...args) => {
    this.#noop.addBatchObservableCallback(...args);
  };
  removeBatchObservableCallback: Meter['removeBatchObservableCallback'] = (...args) => {
    this.#noop.removeBatchObservableCallback(...args);
  };
}
