/**
 * The OpenTelemetry metrics API, recorded into a Sightline registry.
 * Instruments created through `metrics.getMeter(...)` (by the app, or by
 * upstream instrumentations such as http, undici and pg) become registry
 * instruments, so they are served on `/metrics`, pushed over OTLP and held
 * to the same series cap as the catalogue's own.
 *
 * - An instrument whose name and unit are a catalogue metric's
 *   (`http.server.request.duration`, `s`) records into that catalogue
 *   metric: attributes become its labels (by name conversion; attributes it
 *   has no label for are dropped, labels with no attribute are empty), a
 *   `tenant_id` label follows the registry's tenant-label policy, and the
 *   catalogue's buckets apply.
 * - Any other instrument gets a metric of its own, named by
 *   {@link prometheusName}; its labels are the attribute keys of its first
 *   measurement. A later measurement's attribute without a label is dropped
 *   (the measurement is kept) and reported once per instrument and key,
 *   through `diag` and a process warning
 *   (`SIGHTLINE_METRICS_ATTRIBUTE_DROPPED`): the Prometheus client fixes a
 *   metric's label names when it is created, so the label set cannot grow.
 *
 * Nothing here throws into the caller: a conflicting name gets an
 * instrument that does nothing, reported through `diag`.
 */
import { diag } from '@opentelemetry/api';
import type {
  Attributes,
  BatchObservableCallback,
  BatchObservableResult,
  Context,
  Counter,
  Gauge,
  Histogram,
  Meter,
  MeterProvider,
  MetricOptions,
  Observable,
  ObservableCallback,
  UpDownCounter,
} from '@opentelemetry/api';
import { catalogue } from './catalogue.ts';
import { counter, gauge, histogram } from './definition.ts';
import type { MetricDefinition } from './definition.ts';
import type { CounterInstrument, GaugeInstrument, HistogramInstrument } from './instruments.ts';
import { labelNamesOf, labelsFromAttributes } from './otel-attributes.ts';
import type { LabelMapping } from './otel-attributes.ts';
import type { MetricsRegistry } from './registry.ts';

/** Default explicit bucket boundaries of the OpenTelemetry SDK, for histograms without advice. */
const OTEL_DEFAULT_BOUNDARIES = Object.freeze([0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10_000]);

/** When a measurement of a catalogue metric is left out (the middleware recorded the same request itself). */
export type MeasurementFilter = (definition: MetricDefinition, context: Context | undefined) => boolean;

type Kind = 'counter' | 'updowncounter' | 'gauge' | 'histogram' | 'observablecounter' | 'observablegauge' | 'observableupdowncounter';

const byIdentity = new Map<string, MetricDefinition>(
  Object.values(catalogue).map((definition: MetricDefinition) => [identity(definition.otelName, definition.otelUnit), definition]),
);

function identity(name: string, unit: string): string {
  return `${name.toLowerCase()}\u0000${unit}`;
}

/**
 * A `MeterProvider` whose meters record into `registry`. `startTelemetry`
 * registers one over the default registry; `skip` leaves out measurements
 * another recorder already made.
 */
export function createRegistryMeterProvider(registry: MetricsRegistry, skip?: MeasurementFilter): MeterProvider {
  const instruments = new Map<string, unknown>();
  const meter = new RegistryMeter(registry, instruments, skip);
  return { getMeter: () => meter };
}

const NOOP = Object.freeze({ add() {}, record() {}, addCallback() {}, removeCallback() {} });

class RegistryMeter implements Meter {
  readonly #registry: MetricsRegistry;
  /** Instruments by kind, name and unit: asking twice returns the same one, whichever meter asks. */
  readonly #instruments: Map<string, unknown>;
  readonly #skip: MeasurementFilter | undefined;

  constructor(registry: MetricsRegistry, instruments: Map<string, unknown>, skip: MeasurementFilter | undefined) {
    this.#registry = registry;
    this.#instruments = instruments;
    this.#skip = skip;
  }

  createCounter(name: string, options?: MetricOptions): Counter {
    return this.#instrument('counter', name, options, (recorder) => ({
      add: (value: number, attributes?: Attributes, context?: Context) => recorder.record(value, attributes, context),
    }));
  }

  createUpDownCounter(name: string, options?: MetricOptions): UpDownCounter {
    return this.#instrument('updowncounter', name, options, (recorder) => ({
      add: (value: number, attributes?: Attributes, context?: Context) => recorder.record(value, attributes, context),
    }));
  }

  createGauge(name: string, options?: MetricOptions): Gauge {
    return this.#instrument('gauge', name, options, (recorder) => ({
      record: (value: number, attributes?: Attributes, context?: Context) => recorder.record(value, attributes, context),
    }));
  }

  createHistogram(name: string, options?: MetricOptions): Histogram {
    return this.#instrument('histogram', name, options, (recorder) => ({
      record: (value: number, attributes?: Attributes, context?: Context) => recorder.record(value, attributes, context),
    }));
  }

  createObservableCounter(name: string, options?: MetricOptions): Observable {
    return this.#observable('observablecounter', name, options);
  }

  createObservableGauge(name: string, options?: MetricOptions): Observable {
    return this.#observable('observablegauge', name, options);
  }

  createObservableUpDownCounter(name: string, options?: MetricOptions): Observable {
    return this.#observable('observableupdowncounter', name, options);
  }

  addBatchObservableCallback(callback: BatchObservableCallback, observables: Observable[]): void {
    const recorders = new Map<Observable, Recorder>();
    for (const observable of observables) {
      const recorder = observable instanceof RegistryObservable ? observable.recorder : undefined;
      if (recorder !== undefined) recorders.set(observable, recorder);
    }
    const result: BatchObservableResult = {
      observe: (observable, value, attributes) => recorders.get(observable)?.record(value, attributes, undefined),
    };
    const remove = this.#registry.addCollector('batch observable callback', () => callback(result));
    batchRemovers.set(callback, remove);
  }

  removeBatchObservableCallback(callback: BatchObservableCallback): void {
    batchRemovers.get(callback)?.();
    batchRemovers.delete(callback);
  }

  #observable(kind: Kind, name: string, options: MetricOptions | undefined): Observable {
    return this.#instrument(kind, name, options, (recorder) => new RegistryObservable(this.#registry, name, recorder));
  }

  #instrument<I>(kind: Kind, name: string, options: MetricOptions | undefined, wrap: (recorder: Recorder) => I): I {
    const unit = options?.unit ?? '';
    const key = `${kind}\u0000${identity(name, unit)}`;
    const existing = this.#instruments.get(key);
    if (existing !== undefined) return existing as I;
    let instrument: I;
    try {
      instrument = wrap(this.#recorderFor(kind, name, unit, options));
    } catch (error) {
      diag.warn(`sightline: the OpenTelemetry instrument ${name} (${unit || 'no unit'}) cannot be recorded; it does nothing`, error);
      instrument = NOOP as I;
    }
    this.#instruments.set(key, instrument);
    return instrument;
  }

  #recorderFor(kind: Kind, name: string, unit: string, options: MetricOptions | undefined): Recorder {
    const known = byIdentity.get(identity(name, unit));
    if (known !== undefined && fits(kind, known)) {
      const skip = this.#skip;
      return createRecorder(this.#registry, kind, known, fixedMapping(known), skip === undefined ? undefined : (context) => skip(known, context));
    }
    return new DynamicRecorder(this.#registry, kind, name, unit, options);
  }
}

/** Batch callbacks and how to remove them (a callback is registered with one meter). */
const batchRemovers = new WeakMap<BatchObservableCallback, () => void>();

/** Whether instruments of `kind` can record into `definition`. */
function fits(kind: Kind, definition: MetricDefinition): boolean {
  switch (definition.type) {
    case 'histogram':
      return kind === 'histogram';
    case 'counter':
      return kind === 'counter' || kind === 'observablecounter';
    case 'gauge':
      return kind !== 'histogram' && kind !== 'counter' && kind !== 'observablecounter';
  }
}

/** Records one measurement. */
interface Recorder {
  record(value: number, attributes: Attributes | undefined, context: Context | undefined): void;
}

/** The catalogue labels of `definition`, fixed. */
function fixedMapping(definition: MetricDefinition): LabelMapping {
  return { labelNames: definition.labelNames, tenantLabel: definition.labelNames.includes('tenant_id') };
}

function createRecorder(
  registry: MetricsRegistry,
  kind: Kind,
  definition: MetricDefinition,
  mapping: LabelMapping,
  skip: ((context: Context | undefined) => boolean) | undefined,
): Recorder {
  const labels = (attributes: Attributes | undefined, context: Context | undefined) =>
    labelsFromAttributes(mapping, attributes, context, registry.tenantLabels);
  switch (definition.type) {
    case 'histogram': {
      const instrument: HistogramInstrument<string> = registry.histogram(definition);
      return {
        record: (value, attributes, context) => {
          if (skip?.(context) === true) return;
          instrument.observe(labels(attributes, context), value, context);
        },
      };
    }
    case 'counter': {
      const instrument: CounterInstrument<string> = registry.counter(definition);
      if (kind === 'observablecounter') return cumulativeCounter(instrument, (attributes) => labels(attributes, undefined));
      return { record: (value, attributes, context) => instrument.inc(labels(attributes, context), value) };
    }
    case 'gauge': {
      const instrument: GaugeInstrument<string> = registry.gauge(definition);
      if (kind === 'updowncounter') return { record: (value, attributes, context) => instrument.inc(labels(attributes, context), value) };
      return { record: (value, attributes, context) => instrument.set(labels(attributes, context), value) };
    }
  }
}

/** An observable counter reports running totals; the Prometheus counter is increased by the difference. */
function cumulativeCounter(instrument: CounterInstrument<string>, labels: (attributes: Attributes | undefined) => Record<string, string>): Recorder {
  const last = new Map<string, number>();
  return {
    record: (value, attributes) => {
      const labelValues = labels(attributes);
      const key = JSON.stringify(labelValues);
      const previous = last.get(key) ?? 0;
      last.set(key, value);
      instrument.inc(labelValues, value >= previous ? value - previous : value);
    },
  };
}

/** The recorder of an instrument that is not in the catalogue: its metric is made at its first measurement. */
class DynamicRecorder implements Recorder {
  readonly #registry: MetricsRegistry;
  readonly #kind: Kind;
  readonly #name: string;
  readonly #unit: string;
  readonly #options: MetricOptions | undefined;
  /** The dropped attribute keys already reported. */
  readonly #reported = new Set<string>();
  #recorder: Recorder | undefined;

  constructor(registry: MetricsRegistry, kind: Kind, name: string, unit: string, options: MetricOptions | undefined) {
    this.#registry = registry;
    this.#kind = kind;
    this.#name = name;
    this.#unit = unit;
    this.#options = options;
  }

  record(value: number, attributes: Attributes | undefined, context: Context | undefined): void {
    if (this.#recorder === undefined) {
      try {
        this.#recorder = this.#create(attributes);
      } catch (error) {
        diag.warn(`sightline: the OpenTelemetry instrument ${this.#name} cannot be recorded; its measurements are dropped`, error);
        this.#recorder = NOOP_RECORDER;
      }
    }
    this.#recorder.record(value, attributes, context);
  }

  #create(attributes: Attributes | undefined): Recorder {
    const labelNames = labelNamesOf(attributes);
    const base = {
      otelName: this.#name,
      otelUnit: this.#unit,
      help: this.#options?.description || `${this.#name} (recorded through the OpenTelemetry metrics API).`,
      unit: this.#unit,
    };
    const definition: MetricDefinition = this.#kind === 'histogram'
      ? histogram({ ...base, labelNames, buckets: this.#options?.advice?.explicitBucketBoundaries ?? OTEL_DEFAULT_BOUNDARIES })
      : this.#kind === 'counter' || this.#kind === 'observablecounter'
        ? counter({ ...base, labelNames })
        : gauge({ ...base, labelNames });
    const onDroppedKey = (key: string): void => this.#reportDropped(key, labelNames);
    return createRecorder(this.#registry, this.#kind, definition, { labelNames, tenantLabel: false, onDroppedKey }, undefined);
  }

  #reportDropped(key: string, labelNames: readonly string[]): void {
    if (this.#reported.has(key) || this.#reported.size >= MAX_REPORTED_KEYS) return;
    this.#reported.add(key);
    const labels = labelNames.length === 0 ? 'no labels' : `labels ${labelNames.join(', ')}`;
    const message =
      `sightline: the OpenTelemetry instrument ${this.#name} took its labels from the attribute keys of its first measurement (${labels}); ` +
      `its attribute '${key}' has no label and is dropped (the measurement is kept). Give every measurement of an instrument the same attribute keys.`;
    diag.warn(message);
    process.emitWarning(message, { code: DROPPED_ATTRIBUTE_WARNING_CODE });
  }
}

/** The code of the process warning for a dropped attribute key. */
export const DROPPED_ATTRIBUTE_WARNING_CODE = 'SIGHTLINE_METRICS_ATTRIBUTE_DROPPED';

/** Dropped attribute keys reported per instrument, at most (keys made from data would otherwise flood the log). */
const MAX_REPORTED_KEYS = 20;

const NOOP_RECORDER: Recorder = { record() {} };

/** An asynchronous instrument: its callbacks run before each render or push. */
class RegistryObservable implements Observable {
  readonly recorder: Recorder;
  readonly #registry: MetricsRegistry;
  readonly #name: string;
  readonly #removers = new Map<ObservableCallback, () => void>();

  constructor(registry: MetricsRegistry, name: string, recorder: Recorder) {
    this.#registry = registry;
    this.#name = name;
    this.recorder = recorder;
  }

  addCallback(callback: ObservableCallback): void {
    if (this.#removers.has(callback)) return;
    const result = { observe: (value: number, attributes?: Attributes) => this.recorder.record(value, attributes, undefined) };
    this.#removers.set(callback, this.#registry.addCollector(this.#name, () => callback(result)));
  }

  removeCallback(callback: ObservableCallback): void {
    this.#removers.get(callback)?.();
    this.#removers.delete(callback);
  }
}
