/**
 * The registry's metrics as the OpenTelemetry SDK's `ResourceMetrics`, the
 * input of OpenTelemetry's OTLP metric exporters (which encode it with the
 * OTLP transformer). Names and units are the OpenTelemetry ones, labels go
 * back to their attribute keys (`http_route` -> `http.route`; an empty label
 * is no attribute), and each metric is cumulative or delta as the exporter's
 * temporality preference asks (`OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`).
 */
import { ValueType } from '@opentelemetry/api';
import type { Attributes, HrTime } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, InstrumentType } from '@opentelemetry/sdk-metrics';
import type { MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { attributeKeyOf } from '../../metrics/otel-attributes.ts';
import type { CollectedMetric, CollectedValue } from '../../metrics/registry.ts';
import { VERSION } from '../../version.ts';

const INSTRUMENT_TYPES = {
  counter: InstrumentType.COUNTER,
  gauge: InstrumentType.GAUGE,
  histogram: InstrumentType.HISTOGRAM,
} as const;

/** Picks the temporality of an instrument type (the exporter's `selectAggregationTemporality`). */
export type TemporalitySelector = (type: InstrumentType) => AggregationTemporality;

interface HistogramPoint {
  readonly labels: Record<string, string | number>;
  readonly cumulative: Map<number, number>;
  sum: number;
  count: number;
}

/** Converts collections of one registry, remembering the last one for delta temporality. */
export class ResourceMetricsConverter {
  readonly #resource: Resource;
  readonly #temporality: TemporalitySelector;
  readonly #start: HrTime;
  #lastTime: HrTime;
  /** Last cumulative value of each delta series: a number, or a histogram's bucket counts, sum and count. */
  #previous = new Map<string, number | { counts: number[]; sum: number; count: number }>();

  constructor(resource: Resource, temporality: TemporalitySelector, start: HrTime = nowHrTime()) {
    this.#resource = resource;
    this.#temporality = temporality;
    this.#start = start;
    this.#lastTime = start;
  }

  convert(collected: readonly CollectedMetric[]): ResourceMetrics {
    const now = nowHrTime();
    const previous = this.#previous;
    this.#previous = new Map();
    const metrics: MetricData[] = [];
    for (const metric of collected) {
      const data = this.#convertOne(metric, now, previous);
      if (data !== undefined) metrics.push(data);
    }
    this.#lastTime = now;
    return { resource: this.#resource, scopeMetrics: [{ scope: { name: 'sightline', version: VERSION }, metrics }] };
  }

  #convertOne(
    metric: CollectedMetric,
    now: HrTime,
    previous: Map<string, number | { counts: number[]; sum: number; count: number }>,
  ): MetricData | undefined {
    const descriptor = {
      name: metric.otelName,
      description: metric.description,
      unit: metric.otelUnit,
      type: INSTRUMENT_TYPES[metric.type],
      valueType: ValueType.DOUBLE,
    };
    const temporality = metric.type === 'gauge' ? AggregationTemporality.CUMULATIVE : this.#temporality(descriptor.type);
    const delta = temporality === AggregationTemporality.DELTA;
    const startTime = delta ? this.#lastTime : this.#start;
    if (metric.type === 'histogram') {
      const dataPoints = histogramPoints(metric.values).map((point) => {
        const boundaries = [...point.cumulative.keys()].filter(Number.isFinite).sort((a, b) => a - b);
        const cumulative = [...boundaries, Infinity].map((bound) => point.cumulative.get(bound) ?? 0);
        let counts = cumulative.map((value, i) => value - (i === 0 ? 0 : (cumulative[i - 1] ?? 0)));
        let { sum, count } = point;
        const key = `${metric.otelName}\u0000${JSON.stringify(point.labels)}`;
        if (delta) {
          const last = previous.get(key);
          this.#previous.set(key, { counts, sum, count });
          if (typeof last === 'object' && last.count <= count && last.counts.length === counts.length) {
            counts = counts.map((value, i) => value - (last.counts[i] ?? 0));
            sum -= last.sum;
            count -= last.count;
          }
        }
        return { startTime, endTime: now, attributes: attributesOf(point.labels), value: { buckets: { boundaries, counts }, sum, count } };
      });
      if (dataPoints.length === 0) return undefined;
      return { descriptor, aggregationTemporality: temporality, dataPointType: DataPointType.HISTOGRAM, dataPoints };
    }
    const dataPoints = metric.values.map((value) => {
      let number = value.value;
      if (delta) {
        const key = `${metric.otelName}\u0000${JSON.stringify(value.labels)}`;
        const last = previous.get(key);
        this.#previous.set(key, number);
        if (typeof last === 'number' && last <= number) number -= last;
      }
      return { startTime, endTime: now, attributes: attributesOf(value.labels), value: number };
    });
    if (dataPoints.length === 0) return undefined;
    if (metric.type === 'gauge') return { descriptor, aggregationTemporality: temporality, dataPointType: DataPointType.GAUGE, dataPoints };
    return { descriptor, aggregationTemporality: temporality, dataPointType: DataPointType.SUM, isMonotonic: true, dataPoints };
  }
}

/** Groups a histogram's Prometheus values (buckets by `le`, `_sum`, `_count`) into one point per label set. */
function histogramPoints(values: readonly CollectedValue[]): HistogramPoint[] {
  const points = new Map<string, HistogramPoint>();
  for (const value of values) {
    const { le, ...labels } = value.labels;
    const key = JSON.stringify(labels);
    let point = points.get(key);
    if (point === undefined) {
      point = { labels, cumulative: new Map(), sum: 0, count: 0 };
      points.set(key, point);
    }
    const name = value.metricName ?? '';
    if (name.endsWith('_bucket') && le !== undefined) point.cumulative.set(le === '+Inf' ? Infinity : Number(le), value.value);
    else if (name.endsWith('_sum')) point.sum = value.value;
    else if (name.endsWith('_count')) point.count = value.value;
  }
  return [...points.values()];
}

/** Labels as attributes: keys back to their OpenTelemetry form, empty values left out. */
function attributesOf(labels: Readonly<Record<string, string | number>>): Attributes {
  const attributes: Attributes = {};
  for (const [label, value] of Object.entries(labels)) {
    if (value !== '') attributes[attributeKeyOf(label)] = value;
  }
  return attributes;
}

function nowHrTime(): HrTime {
  const millis = Date.now();
  return [Math.floor(millis / 1000), (millis % 1000) * 1e6];
}
