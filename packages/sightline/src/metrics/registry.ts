import { context as otelContext } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { Counter, Gauge, Registry } from '@prometheus-io/client';
import type { Metric, OpenMetricsContentType, PrometheusContentType } from '@prometheus-io/client';
import { MetricDefinitionConflictError } from '../errors.ts';
import { catalogue } from './catalogue.ts';
import { addDefaultMetrics, processRuntimeMetrics, removeDefaultMetrics } from './default-metrics.ts';
import type { CounterDefinition, GaugeDefinition, HistogramDefinition, MetricDefinition } from './definition.ts';
import { exemplarLabelsFor, exemplarLength, MAX_EXEMPLAR_LABEL_CHARS } from './exemplar.ts';
import { renderRegistry } from './exposition.ts';
import { HistogramStore } from './histogram-store.ts';
import type { HistogramSeries } from './histogram-store.ts';
import type { CounterInstrument, GaugeInstrument, HistogramInstrument } from './instruments.ts';
import { checkLabels, seriesKeyOf, uniformLabels } from './label-values.ts';
import type { CheckedLabels } from './label-values.ts';
import { resolveRegistryOptions } from './registry-options.ts';
import type { MetricsRegistryOptions, ResolvedMetricsRegistryConfig } from './registry-options.ts';
import { OVERFLOW_LABEL_VALUE, SeriesGuard } from './series-guard.ts';
import type { TenantLabelPolicy } from './tenant-label-policy.ts';
import { registerView } from './text-mirror.ts';
import { UnservedWatch } from './unserved-warning.ts';
import { WarnOnce } from './warn-once.ts';

/** The two exposition formats a registry renders. */
export type MetricsFormat = 'prometheus' | 'openmetrics';

/**
 * Holds the instruments of one application and renders them. Instruments
 * are created from catalogue declarations and shared: asking twice for the
 * same declaration returns the same instrument.
 *
 * Both formats are rendered from the same instruments: they live in an
 * OpenMetrics registry of the Prometheus client (the only kind that keeps
 * exemplars) and are mirrored into a classic-text registry, which renders
 * the same values without exemplars. Histograms keep their series in a store
 * of Sightline's own (histogram-store.ts) that the client renders as its own.
 *
 * Instruments never throw: an observation with bad labels or a bad value is
 * dropped and reported once per metric through `diag`. Each metric keeps at
 * most `maxSeriesPerMetric` label sets; later new ones are folded into one
 * overflow series and counted.
 */
export interface MetricsRegistry {
  counter<L extends string>(definition: CounterDefinition<L>): CounterInstrument<L>;
  gauge<L extends string>(definition: GaugeDefinition<L>): GaugeInstrument<L>;
  histogram<L extends string>(definition: HistogramDefinition<L>): HistogramInstrument<L>;
  /**
   * Runs the scrape-time collectors, then renders every metric in `format`.
   * A collector that fails is skipped and counted; rendering still succeeds.
   */
  render(format: MetricsFormat): Promise<string>;
  /** The `Content-Type` header value for `format`. */
  contentType(format: MetricsFormat): OpenMetricsContentType | PrometheusContentType;
  /**
   * The policy for the `tenant_id` label of every metric that has one (HTTP
   * and messaging); instrumentation calls `labelFor` for each observation.
   */
  readonly tenantLabels: TenantLabelPolicy;
  /** The resolved options this registry runs with. */
  readonly config: ResolvedMetricsRegistryConfig;
  /**
   * Tells the registry that something reads it (a `/metrics` handler, an
   * OTLP push). A registry that records for 10 seconds without being read
   * or rendered warns once, through `diag` and a process warning
   * (`SIGHTLINE_METRICS_UNSERVED`), that its metrics reach no one.
   */
  markRead(): void;
  /**
   * Registers `collect` to run before each render and each OTLP push (the
   * callbacks of asynchronous OpenTelemetry instruments use this). A
   * callback that throws or rejects is skipped and counted in
   * `sightline_metrics_collector_errors_total` under `metric`. Returns a
   * function that removes it.
   */
  addCollector(metric: string, collect: () => void | Promise<void>): () => void;
  /**
   * Runs the collectors and returns every metric with its current values,
   * named as OpenTelemetry names them: what an OTLP push sends.
   */
  collect(): Promise<readonly CollectedMetric[]>;
}

/** One metric as {@link MetricsRegistry.collect} reads it. */
export interface CollectedMetric {
  /** The OpenTelemetry name and unit (for the Prometheus client's runtime metrics: the Prometheus name without `_total`, no unit). */
  readonly otelName: string;
  readonly otelUnit: string;
  readonly description: string;
  readonly type: MetricDefinition['type'];
  /** The Prometheus client's values: one per series, and for a histogram one per bucket (`le` label), `_sum` and `_count`. */
  readonly values: readonly CollectedValue[];
}

/** One value of a {@link CollectedMetric}. */
export interface CollectedValue {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
  /** For a histogram: `<name>_bucket`, `<name>_sum` or `<name>_count`. */
  readonly metricName?: string | undefined;
  /** The exemplar of a histogram bucket. */
  readonly exemplar?: { readonly labelSet: Readonly<Record<string, string>>; readonly value: number; readonly timestamp: number } | null | undefined;
}

/**
 * Creates an empty registry (plus, unless `defaultMetrics: false`, the
 * process and Node.js runtime metrics, whose monitors start once per
 * process however many registries show them).
 *
 * Most code needs no registry of its own: every instrumentation records into
 * {@link defaultMetricsRegistry} unless given one, and that is the registry
 * telemetry serves and pushes. Create one to serve a separate set of metrics.
 *
 * @throws {InvalidConfigError} when an option is invalid.
 */
export function createMetricsRegistry(options: MetricsRegistryOptions = {}): MetricsRegistry {
  return new PrometheusMetricsRegistry(resolveRegistryOptions(options));
}

/**
 * Gives `registry` (made by {@link createMetricsRegistry}) new options: the
 * tenant-label policy and series cap apply to later observations, and the
 * runtime metrics are added or removed. Telemetry uses it to configure the
 * process's default registry, which code may have recorded into before
 * telemetry started.
 *
 * @throws {InvalidConfigError} when an option is invalid.
 */
export function reconfigureMetricsRegistry(registry: MetricsRegistry, options: MetricsRegistryOptions): void {
  const config = resolveRegistryOptions(options);
  if (registry instanceof PrometheusMetricsRegistry) registry.reconfigure(config);
}

type AnyInstrument = CounterInstrument<string> | GaugeInstrument<string> | HistogramInstrument<string>;

interface Collector {
  readonly metric: string;
  run(): void | Promise<void>;
}

/**
 * The metrics about the registry itself. Their labels name metrics, a
 * bounded set, so they bypass the series cap (an overflow of the overflow
 * counter would otherwise count itself).
 */
const SELF_METRICS: ReadonlySet<MetricDefinition> = new Set([
  catalogue.metricsSeriesOverflow,
  catalogue.metricsCollectorErrors,
  catalogue.metricsScrapeErrors,
]);

class PrometheusMetricsRegistry implements MetricsRegistry {
  #config: ResolvedMetricsRegistryConfig;
  readonly #openMetrics = new Registry(Registry.OPENMETRICS_CONTENT_TYPE);
  readonly #text = new Registry(Registry.PROMETHEUS_CONTENT_TYPE);
  readonly #instruments = new Map<string, { definition: MetricDefinition; instrument: AnyInstrument }>();
  readonly #metrics = new Map<MetricDefinition, Counter<string> | Gauge<string> | HistogramStore>();
  readonly #collectors = new Set<Collector>();
  readonly #warnings = new WarnOnce();
  readonly #overflow: CounterInstrument<'metric'>;
  readonly #collectorErrors: CounterInstrument<'metric'>;
  readonly #unserved = new UnservedWatch();

  constructor(config: ResolvedMetricsRegistryConfig) {
    this.#config = config;
    this.#overflow = this.counter(catalogue.metricsSeriesOverflow);
    this.#collectorErrors = this.counter(catalogue.metricsCollectorErrors);
    if (config.defaultMetrics) addDefaultMetrics(this.#openMetrics, this.#text);
  }

  get config(): ResolvedMetricsRegistryConfig {
    return this.#config;
  }

  get tenantLabels(): TenantLabelPolicy {
    return this.#config.tenantLabelPolicy;
  }

  markRead(): void {
    this.#unserved.read();
  }

  /** Applies `config` from now on: later observations see its policy and series cap. */
  reconfigure(config: ResolvedMetricsRegistryConfig): void {
    if (config.defaultMetrics !== this.#config.defaultMetrics) {
      if (config.defaultMetrics) addDefaultMetrics(this.#openMetrics, this.#text);
      else removeDefaultMetrics(this.#openMetrics, this.#text);
    }
    this.#config = config;
  }

  counter<L extends string>(definition: CounterDefinition<L>): CounterInstrument<L> {
    return this.#getOrCreate(definition, () => {
      const metric = this.#register(definition, new Counter<string>(this.#configOf(definition)));
      const series = this.#series(definition);
      const inc = (checked: CheckedLabels, value: number) => metric.inc(checked, value);
      return {
        inc: (labels, value = 1) => {
          series.record(labels, value, isCount, (checked) => inc(checked, value));
        },
        bind: (labels) => {
          const record = series.bind(labels, isCount, inc);
          return { inc: (value = 1) => record(value) };
        },
      } satisfies CounterInstrument<L>;
    });
  }

  gauge<L extends string>(definition: GaugeDefinition<L>): GaugeInstrument<L> {
    return this.#getOrCreate(definition, () => {
      const metric = this.#register(definition, new Gauge<string>(this.#configOf(definition)));
      const series = this.#series(definition);
      const instrument: GaugeInstrument<L> = {
        set: (labels, value) => series.record(labels, value, Number.isFinite, (checked) => metric.set(checked, value)),
        inc: (labels, value = 1) => series.record(labels, value, Number.isFinite, (checked) => metric.inc(checked, value)),
        dec: (labels, value = 1) => series.record(labels, value, Number.isFinite, (checked) => metric.dec(checked, value)),
        remove: (labels) => series.remove(labels, (checked) => metric.remove(checked)),
        addCollector: (collect) => this.addCollector(definition.name, () => collect(instrument)),
      };
      return instrument;
    });
  }

  histogram<L extends string>(definition: HistogramDefinition<L>): HistogramInstrument<L> {
    return this.#getOrCreate(definition, () => {
      const store = new HistogramStore(definition);
      this.#openMetrics.registerMetric(store as unknown as Metric<string>);
      this.#register(definition, store);
      const series = this.#series(definition);
      const observeInto = (stored: HistogramSeries, value: number, context: Context | undefined) => {
        stored.observe(value, this.#exemplarFor(definition.name, context));
      };
      return {
        observe: (labels, value, context) => {
          series.record(labels, value, Number.isFinite, (checked, key) => observeInto(store.series(checked, key), value, context));
        },
        bind: (labels) => {
          // The recorder hands over the same checked labels while the series stays admitted: look its storage up once.
          let lastChecked: CheckedLabels | undefined;
          let lastStored: HistogramSeries | undefined;
          const record = series.bind(labels, Number.isFinite, (checked, value, context) => {
            if (checked !== lastChecked || lastStored === undefined) {
              lastChecked = checked;
              lastStored = store.series(checked);
            }
            observeInto(lastStored, value, context);
          });
          return { observe: (value, context) => record(value, context) };
        },
      } satisfies HistogramInstrument<L>;
    });
  }

  addCollector(metric: string, collect: () => void | Promise<void>): () => void {
    const collector: Collector = { metric, run: collect };
    this.#collectors.add(collector);
    return () => {
      this.#collectors.delete(collector);
    };
  }

  async collect(): Promise<readonly CollectedMetric[]> {
    this.#unserved.read();
    await this.#runCollectors();
    const collected: CollectedMetric[] = [];
    for (const [definition, metric] of this.#metrics) {
      const { values } = (await metric.get()) as unknown as { values: CollectedValue[] };
      collected.push({ otelName: definition.otelName, otelUnit: definition.otelUnit, description: definition.help, type: definition.type, values });
    }
    if (this.#config.defaultMetrics) {
      for (const metric of processRuntimeMetrics()) {
        if (metric.type !== 'counter' && metric.type !== 'gauge' && metric.type !== 'histogram') continue;
        const { values } = (await metric.get()) as unknown as { values: CollectedValue[] };
        collected.push({ otelName: metric.name.replace(/_total$/, ''), otelUnit: '', description: metric.help, type: metric.type, values });
      }
    }
    return collected;
  }

  async render(format: MetricsFormat): Promise<string> {
    this.#unserved.read();
    await this.#runCollectors();
    return renderRegistry(format === 'openmetrics' ? this.#openMetrics : this.#text);
  }

  contentType(format: MetricsFormat): OpenMetricsContentType | PrometheusContentType {
    return format === 'openmetrics' ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE;
  }

  async #runCollectors(): Promise<void> {
    await Promise.all(
      [...this.#collectors].map(async (collector) => {
        try {
          await collector.run();
        } catch (error) {
          this.#warnings.warn(collector.metric, 'a scrape-time collector failed and was skipped', error);
          this.#collectorErrors.inc({ metric: collector.metric });
        }
      }),
    );
  }

  /** The exemplar labels for an observation, or undefined when there is no sampled span or they do not fit. */
  #exemplarFor(metric: string, context: Context | undefined): Record<string, string> | undefined {
    const labels = exemplarLabelsFor(context ?? otelContext.active());
    if (labels === undefined || exemplarLength(labels) <= MAX_EXEMPLAR_LABEL_CHARS) return labels;
    this.#warnings.warn(
      metric,
      `an exemplar of ${exemplarLength(labels)} characters exceeds the OpenMetrics limit of ${MAX_EXEMPLAR_LABEL_CHARS} and was dropped (the observation was kept)`,
    );
    return undefined;
  }

  #series(definition: MetricDefinition): SeriesRecorder {
    const guard = SELF_METRICS.has(definition) ? undefined : new SeriesGuard(() => this.#config.maxSeriesPerMetric);
    return new SeriesRecorder(definition, guard, this.#warnings, this.#unserved, () => this.#overflow.inc({ metric: definition.name }));
  }

  #configOf(definition: MetricDefinition) {
    return {
      name: definition.name,
      help: definition.help,
      labelNames: definition.labelNames,
      registers: [this.#openMetrics],
    };
  }

  #register<M extends Counter<string> | Gauge<string> | HistogramStore>(definition: MetricDefinition, metric: M): M {
    this.#metrics.set(definition, metric);
    registerView(this.#text, metric as unknown as Parameters<typeof registerView>[1]);
    return metric;
  }

  #getOrCreate<I extends AnyInstrument>(definition: MetricDefinition, create: () => I): I {
    const existing = this.#instruments.get(definition.name);
    if (existing) {
      if (existing.definition !== definition) throw new MetricDefinitionConflictError(definition.name);
      return existing.instrument as I;
    }
    const instrument = create();
    this.#instruments.set(definition.name, { definition, instrument });
    return instrument;
  }
}

/** A shallow copy of a label object (the caller may reuse its own), or `labels` itself when it cannot be copied (the check then reports it). */
function copyOf(labels: unknown): unknown {
  if (typeof labels !== 'object' || labels === null) return labels;
  try {
    return { ...labels };
  } catch {
    return labels;
  }
}

function isCount(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

/**
 * The run-time path of one metric: checks labels and value, applies the
 * series cap, and calls the Prometheus client, so that nothing a caller
 * passes can throw into the application.
 */
class SeriesRecorder {
  readonly #definition: MetricDefinition;
  readonly #guard: SeriesGuard | undefined;
  readonly #warnings: WarnOnce;
  readonly #onOverflow: () => void;
  readonly #overflowLabels: CheckedLabels;
  readonly #overflowKey: string;
  readonly #unserved: UnservedWatch;
  #recorded = false;

  constructor(
    definition: MetricDefinition,
    guard: SeriesGuard | undefined,
    warnings: WarnOnce,
    unserved: UnservedWatch,
    onOverflow: () => void,
  ) {
    this.#definition = definition;
    this.#guard = guard;
    this.#warnings = warnings;
    this.#unserved = unserved;
    this.#onOverflow = onOverflow;
    this.#overflowLabels = uniformLabels(definition.labelNames, OVERFLOW_LABEL_VALUE);
    this.#overflowKey = seriesKeyOf(definition.labelNames, this.#overflowLabels);
  }

  /** Checks and records one observation; `apply` gets the checked labels and their series key. */
  record(labels: unknown, value: unknown, validValue: (value: number) => boolean, apply: (labels: CheckedLabels, key: string) => void): void {
    this.#noteRecorded();
    try {
      if (typeof value !== 'number' || !validValue(value)) {
        this.#drop(`value ${String(value)} is not valid for a ${this.#definition.type}`);
        return;
      }
      const checked = checkLabels(this.#definition.labelNames, labels);
      if (!checked.ok) {
        this.#drop(checked.problem);
        return;
      }
      if (this.#guard === undefined || this.#guard.admit(checked.key)) {
        apply(checked.labels, checked.key);
      } else {
        apply(this.#overflowLabels, this.#overflowKey);
        this.#onOverflow();
      }
    } catch (error) {
      this.#drop('the Prometheus client refused an observation', error);
    }
  }

  /**
   * A recorder for one label set: once the labels passed the check and the
   * series cap, later calls only check the value and apply. Until then
   * (bad labels, cap full) each call takes the path of {@link record}, which
   * reports, drops or folds into the overflow series as usual.
   */
  bind(labels: unknown, validValue: (value: number) => boolean, apply: (labels: CheckedLabels, value: number, context: Context | undefined) => void): (value: unknown, context?: Context) => void {
    const own = copyOf(labels);
    let admitted: CheckedLabels | undefined;
    return (value, context) => {
      if (admitted === undefined) admitted = this.#admit(own);
      if (admitted === undefined || typeof value !== 'number' || !validValue(value)) {
        this.record(own, value, validValue, (checked) => apply(checked, value as number, context));
        return;
      }
      try {
        apply(admitted, value, context);
      } catch (error) {
        this.#drop('the Prometheus client refused an observation', error);
      }
    };
  }

  /** The checked labels when they are valid and their series is admitted under the cap. */
  #admit(labels: unknown): CheckedLabels | undefined {
    this.#noteRecorded();
    try {
      const checked = checkLabels(this.#definition.labelNames, labels);
      if (!checked.ok || (this.#guard !== undefined && !this.#guard.admit(checked.key))) return undefined;
      return checked.labels;
    } catch {
      return undefined;
    }
  }

  #noteRecorded(): void {
    if (!this.#recorded) {
      this.#recorded = true;
      this.#unserved.recorded(this.#definition.name);
    }
  }

  remove(labels: unknown, apply: (labels: CheckedLabels) => void): void {
    try {
      const checked = checkLabels(this.#definition.labelNames, labels);
      if (!checked.ok) {
        this.#drop(checked.problem);
        return;
      }
      apply(checked.labels);
      this.#guard?.release(checked.key);
    } catch (error) {
      this.#drop('the Prometheus client refused to remove a series', error);
    }
  }

  #drop(problem: string, detail?: unknown): void {
    this.#warnings.warn(this.#definition.name, `${problem}; the observation was dropped`, detail);
  }
}
