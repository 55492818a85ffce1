import { context as otelContext, diag, trace, TraceFlags } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { Counter, Gauge, Histogram, Registry } from '@prometheus-io/client';
import type { OpenMetricsContentType, PrometheusContentType } from '@prometheus-io/client';
import { catalogue } from './catalogue.ts';
import type { CounterDefinition, GaugeDefinition, HistogramDefinition, MetricDefinition } from './definition.ts';
import type { CounterInstrument, GaugeInstrument, HistogramInstrument, LabelValues } from './instruments.ts';
import { MetricDefinitionConflictError } from '../errors.ts';

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
 * the same values without exemplars.
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
}

/** Creates an empty registry. Nothing global is touched. */
export function createMetricsRegistry(): MetricsRegistry {
  return new PrometheusMetricsRegistry();
}

type AnyInstrument = CounterInstrument<string> | GaugeInstrument<string> | HistogramInstrument<string>;

interface Collector {
  readonly metric: string;
  run(): void | Promise<void>;
}

class PrometheusMetricsRegistry implements MetricsRegistry {
  readonly #openMetrics = new Registry(Registry.OPENMETRICS_CONTENT_TYPE);
  readonly #text = new Registry(Registry.PROMETHEUS_CONTENT_TYPE);
  readonly #instruments = new Map<string, { definition: MetricDefinition; instrument: AnyInstrument }>();
  readonly #collectors = new Set<Collector>();
  readonly #collectorErrors = this.counter(catalogue.metricsCollectorErrors);

  counter<L extends string>(definition: CounterDefinition<L>): CounterInstrument<L> {
    return this.#getOrCreate(definition, () => {
      const metric = this.#register(new Counter<string>(this.#configOf(definition)));
      return { inc: (labels, value) => metric.inc(labels, value) } satisfies CounterInstrument<L>;
    });
  }

  gauge<L extends string>(definition: GaugeDefinition<L>): GaugeInstrument<L> {
    return this.#getOrCreate(definition, () => {
      const metric = this.#register(new Gauge<string>(this.#configOf(definition)));
      const instrument: GaugeInstrument<L> = {
        set: (labels, value) => metric.set(labels, value),
        inc: (labels, value) => metric.inc(labels, value),
        dec: (labels, value) => metric.dec(labels, value),
        remove: (labels) => metric.remove(labels),
        addCollector: (collect) => {
          const collector: Collector = { metric: definition.name, run: () => collect(instrument) };
          this.#collectors.add(collector);
          return () => {
            this.#collectors.delete(collector);
          };
        },
      };
      return instrument;
    });
  }

  histogram<L extends string>(definition: HistogramDefinition<L>): HistogramInstrument<L> {
    return this.#getOrCreate(definition, () => {
      const metric = this.#register(
        new Histogram<string>({ ...this.#configOf(definition), buckets: [...definition.buckets], enableExemplars: true }),
      );
      return {
        observe: (labels, value, context) => {
          const exemplarLabels = exemplarFor(context ?? otelContext.active());
          metric.observe(exemplarLabels ? { value, labels, exemplarLabels } : { value, labels });
        },
      } satisfies HistogramInstrument<L>;
    });
  }

  async render(format: MetricsFormat): Promise<string> {
    await this.#runCollectors();
    return format === 'openmetrics' ? this.#openMetrics.metrics() : this.#text.metrics();
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
          diag.warn(`sightline: a collector of ${collector.metric} failed and was skipped`, error);
          this.#collectorErrors.inc({ metric: collector.metric });
        }
      }),
    );
  }

  #configOf(definition: MetricDefinition) {
    return {
      name: definition.name,
      help: definition.help,
      labelNames: definition.labelNames,
      registers: [this.#openMetrics],
    };
  }

  /** The metric is created in the OpenMetrics registry; this mirrors it into the text one. */
  #register<M extends Counter<string> | Gauge<string> | Histogram<string>>(metric: M): M {
    this.#text.registerMetric(metric);
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

/** Trace and span id of the sampled span in `context`, as exemplar labels. */
function exemplarFor(context: Context): LabelValues<string> | undefined {
  const spanContext = trace.getSpanContext(context);
  if (!spanContext || (spanContext.traceFlags & TraceFlags.SAMPLED) === 0) return undefined;
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
