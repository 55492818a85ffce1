/**
 * Decodes a metrics export request (`ExportMetricsServiceRequest`, JSON or
 * protobuf) into samples named as Prometheus names them, so pushed metrics
 * and scraped `/metrics` land in one store and one set of queries: the
 * OpenTelemetry name converted (`http.server.request.duration` with unit `s`
 * becomes `http_server_request_duration_seconds`, a monotonic sum gains
 * `_total`), attribute keys converted (`http.route` becomes `http_route`),
 * histograms expanded into `_bucket{le}`, `_sum` and `_count`.
 */
import { arrayAt, attributesAt, eachItem, enumAt, formatAttribute, integerAt, numberAt, objectsAt, optionalObject, stringAt } from './values.ts';
import type { Message } from './values.ts';

/** One sample, as a Prometheus scrape would show it. */
export interface MetricSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** Milliseconds since the epoch. */
  readonly timeMs: number;
  /** When the sum or histogram started counting (OTLP `startTimeUnixNano`), when known: it was 0 then. */
  readonly startMs?: number;
  /** True for a delta-temporality point: the store adds it to what it holds. */
  readonly delta: boolean;
}

const DELTA = 1;
const UNIT_SUFFIXES: Readonly<Record<string, string>> = { s: 'seconds', ms: 'milliseconds', By: 'bytes', '1': '' };

/** A name or label key with every character Prometheus does not allow replaced by `_`. */
export function prometheusKey(key: string): string {
  return key.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/^(\d)/, '_$1');
}

/** The Prometheus name of an OpenTelemetry metric. */
export function prometheusName(name: string, unit: string, monotonicSum: boolean): string {
  let converted = prometheusKey(name);
  const suffix = unit.startsWith('{') ? '' : (UNIT_SUFFIXES[unit] ?? prometheusKey(unit));
  if (suffix !== '' && !converted.endsWith(`_${suffix}`) && !(monotonicSum && converted.endsWith(`_${suffix}_total`))) converted += `_${suffix}`;
  if (monotonicSum && !converted.endsWith('_total')) converted += '_total';
  return converted;
}

/** The samples of a decoded request body; throws `OtlpRequestError` (400) naming the first bad field. */
export function decodeMetrics(body: unknown): MetricSample[] {
  const samples: MetricSample[] = [];
  eachItem(body, 'resourceMetrics', 'scopeMetrics', 'metrics', (metric, path, origin) => {
    const job = origin.serviceName;
    const unit = stringAt(metric, 'unit', path);
    const name = stringAt(metric, 'name', path);
    const gauge = optionalObject(metric['gauge']);
    const sum = optionalObject(metric['sum']);
    const histogram = optionalObject(metric['histogram']);
    if (gauge) {
      for (const [point, pointPath] of objectsAt(gauge, 'dataPoints', `${path}.gauge`)) {
        samples.push(numberSample(prometheusName(name, unit, false), point, pointPath, job, false));
      }
    } else if (sum) {
      const monotonic = sum['isMonotonic'] === true;
      const delta = enumAt(sum, 'aggregationTemporality', `${path}.sum`) === DELTA;
      for (const [point, pointPath] of objectsAt(sum, 'dataPoints', `${path}.sum`)) {
        samples.push({ ...numberSample(prometheusName(name, unit, monotonic), point, pointPath, job, delta), ...startOf(point, pointPath) });
      }
    } else if (histogram) {
      const base = prometheusName(name, unit, false);
      const delta = enumAt(histogram, 'aggregationTemporality', `${path}.histogram`) === DELTA;
      for (const [point, pointPath] of objectsAt(histogram, 'dataPoints', `${path}.histogram`)) {
        samples.push(...histogramSamples(base, point, pointPath, job, delta));
      }
    }
  });
  return samples;
}

function labelsOf(point: Message, path: string, job: string): Record<string, string> {
  const labels: Record<string, string> = { job };
  for (const [key, value] of Object.entries(attributesAt(point, 'attributes', path))) labels[prometheusKey(key)] = formatAttribute(value);
  return labels;
}

function timeOf(point: Message, path: string): number {
  return Number(integerAt(point, 'timeUnixNano', path) / 1_000_000n);
}

function startOf(point: Message, path: string): { startMs?: number } {
  const start = integerAt(point, 'startTimeUnixNano', path);
  return start === 0n ? {} : { startMs: Number(start / 1_000_000n) };
}

function numberSample(name: string, point: Message, path: string, job: string, delta: boolean): MetricSample {
  const value = point['asInt'] !== undefined ? Number(integerAt(point, 'asInt', path)) : numberAt(point, 'asDouble', path);
  return { name, labels: labelsOf(point, path, job), value, timeMs: timeOf(point, path), delta };
}

function histogramSamples(base: string, point: Message, path: string, job: string, delta: boolean): MetricSample[] {
  const labels = labelsOf(point, path, job);
  const timeMs = timeOf(point, path);
  const start = startOf(point, path);
  const bounds = arrayAt(point, 'explicitBounds', path).map((_, i, all) => numberAt({ v: all[i] }, 'v', `${path}.explicitBounds[${i}]`));
  const counts = arrayAt(point, 'bucketCounts', path).map((_, i, all) => Number(integerAt({ v: all[i] }, 'v', `${path}.bucketCounts[${i}]`)));
  const samples: MetricSample[] = [];
  let cumulative = 0;
  for (const [i, count] of counts.entries()) {
    cumulative += count;
    const le = i < bounds.length ? String(bounds[i]) : '+Inf';
    samples.push({ name: `${base}_bucket`, labels: { ...labels, le }, value: cumulative, timeMs, delta, ...start });
  }
  const count = Number(integerAt(point, 'count', path));
  samples.push({ name: `${base}_count`, labels, value: count, timeMs, delta, ...start });
  samples.push({ name: `${base}_sum`, labels, value: numberAt(point, 'sum', path), timeMs, delta, ...start });
  return samples;
}
