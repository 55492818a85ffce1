/**
 * Histogram storage of Sightline's own, rendered by the Prometheus client.
 *
 * A histogram is observed for every request and every span, and the
 * client's `Histogram.observe` with an exemplar builds its series key from
 * the labels twice, checks the label names and the exemplar again (the
 * registry has checked both) and costs about 0.9 µs. This store keeps each
 * series as plain numbers found by the key the registry already computed,
 * and a bound series (`HistogramInstrument.bind`) keeps its series object,
 * so an observation is a bucket search and three additions.
 *
 * It implements what a client registry reads of a metric (`name`, `help`,
 * `type`, `aggregator`, `get()`, `getForPromString()`) and returns the same
 * values the client's `Histogram` returns for the same observations, in the
 * same order and shape, so the client renders it byte for byte as its own
 * and the OTLP push reads it as before.
 */
import { validateMetricName } from '@prometheus-io/client';
import { seriesKeyOf } from './label-values.ts';
import type { CheckedLabels } from './label-values.ts';

/** The exemplar of one bucket, as the client's `Exemplar` holds it (timestamp in seconds). */
export interface BucketExemplar {
  labelSet: Readonly<Record<string, string>>;
  value: number;
  timestamp: number;
}

/** One value of {@link HistogramStore.getForPromString}: a bucket, `_sum` or `_count` line. */
interface StoredValue {
  readonly labels: Record<string, string | number>;
  readonly sharedLabels: CheckedLabels;
  readonly value: number;
  readonly metricName: string;
  readonly exemplar: BucketExemplar | null | undefined;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** One label set's counts: per finite bucket (not cumulative), sum, count, and the latest exemplar per bucket (+Inf last, both unset until one comes). */
export class HistogramSeries {
  readonly labels: CheckedLabels;
  readonly #upperBounds: readonly number[];
  readonly counts: number[];
  readonly exemplars: (BucketExemplar | undefined)[];
  sum = 0;
  count = 0;

  constructor(labels: CheckedLabels, upperBounds: readonly number[]) {
    this.labels = labels;
    this.#upperBounds = upperBounds;
    this.counts = new Array<number>(upperBounds.length).fill(0);
    this.exemplars = new Array<BucketExemplar | undefined>(upperBounds.length + 1).fill(undefined);
  }

  /** Records `value` (finite: the registry checks it), with `exemplar` as its bucket's exemplar when given. */
  observe(value: number, exemplar: Readonly<Record<string, string>> | undefined): void {
    const bounds = this.#upperBounds;
    let bucket = 0;
    while (bucket < bounds.length && value > bounds[bucket]!) bucket += 1;
    this.sum += value;
    this.count += 1;
    if (bucket < bounds.length) this.counts[bucket]! += 1;
    if (exemplar === undefined) return;
    const held = this.exemplars[bucket];
    const timestamp = Date.now() / 1000;
    if (held) {
      held.labelSet = exemplar;
      held.value = value;
      held.timestamp = timestamp;
    } else {
      this.exemplars[bucket] = { labelSet: exemplar, value, timestamp };
    }
  }
}

/** A histogram's series, registered in client registries as if it were the client's `Histogram`. */
export class HistogramStore {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #labelNames: readonly string[];
  readonly #upperBounds: readonly number[];
  readonly #series = new Map<string, HistogramSeries>();

  /** @throws {Error} as the client's `Histogram` does, for an invalid metric or label name (or `le`). */
  constructor(config: { readonly name: string; readonly help: string; readonly labelNames: readonly string[]; readonly buckets: readonly number[] }) {
    if (!validateMetricName(config.name)) throw new Error(`Invalid metric name: ${config.name}`);
    const invalid = config.labelNames.filter((name) => !LABEL_NAME.test(name));
    if (invalid.length > 0) throw new Error(`At least one label name is invalid: ${invalid.join(',')}`);
    if (config.labelNames.includes('le')) throw new Error('le is a reserved label keyword');
    this.name = config.name;
    this.help = config.help;
    this.#labelNames = config.labelNames;
    this.#upperBounds = Object.freeze([...config.buckets]);
    // As the client does, a histogram without labels shows its one (empty) series from the start.
    if (this.#labelNames.length === 0) this.series({});
  }

  /**
   * The series of `labels` (checked against the label names), created empty
   * on first use; `key` is their series key when the caller has it.
   */
  series(labels: CheckedLabels, key: string = seriesKeyOf(this.#labelNames, labels)): HistogramSeries {
    let series = this.#series.get(key);
    if (series === undefined) {
      series = new HistogramSeries(labels, this.#upperBounds);
      this.#series.set(key, series);
    }
    return series;
  }

  /** Values as the client's `Histogram.getForPromString()` gives them: bucket labels apart from the series' shared labels. */
  getForPromString(): Promise<{ name: string; help: string; type: string; values: StoredValue[]; aggregator: string }> {
    const bucketName = `${this.name}_bucket`;
    const values: StoredValue[] = [];
    for (const series of this.#series.values()) {
      const shared = series.labels;
      let cumulative = 0;
      for (let i = 0; i < this.#upperBounds.length; i += 1) {
        cumulative += series.counts[i]!;
        values.push(value({ le: this.#upperBounds[i]! }, shared, cumulative, bucketName, series.exemplars[i] ?? null));
      }
      values.push(
        // The client leaves a finite bucket without an exemplar at null and +Inf at undefined; so does this.
        value({ le: '+Inf' }, shared, series.count, bucketName, series.exemplars[this.#upperBounds.length]),
        value({}, shared, series.sum, `${this.name}_sum`, undefined),
        value({}, shared, series.count, `${this.name}_count`, undefined),
      );
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator });
  }

  /** Values as the client's `Histogram.get()` gives them: each value's labels include its series' labels. */
  async get(): Promise<{ name: string; help: string; type: string; values: unknown[]; aggregator: string }> {
    const data = await this.getForPromString();
    const values = data.values.map(({ labels, sharedLabels, ...rest }) => ({ ...rest, labels: Object.assign(labels, sharedLabels) }));
    return { ...data, values };
  }

  /**
   * The metric as a client registry's `getMetricsAsString` renders it, byte
   * for byte, headed by `name` (a view's name; the lines keep the metric's own,
   * as the client's do): each series' labels are formatted once instead of
   * once per bucket line. Exemplars only in OpenMetrics.
   */
  renderText(openMetrics: boolean, name: string = this.name): string {
    const escapedName = escapeString(name);
    const lines = [`# HELP ${escapedName} ${escapeString(this.help)}`, `# TYPE ${escapedName} ${this.type}`];
    const bounds = this.#upperBounds;
    const bucketLabel = bounds.map((bound) => `${this.name}_bucket{le="${bound}"`);
    const infLabel = `${this.name}_bucket{le="+Inf"`;
    for (const series of this.#series.values()) {
      const shared = formatLabels(series.labels);
      const bucketEnd = shared === '' ? '} ' : `,${shared}} `;
      let cumulative = 0;
      for (let i = 0; i < bounds.length; i += 1) {
        cumulative += series.counts[i]!;
        lines.push(`${bucketLabel[i]!}${bucketEnd}${valueString(cumulative)}${openMetrics ? exemplarText(series.exemplars[i]) : ''}`);
      }
      lines.push(`${infLabel}${bucketEnd}${valueString(series.count)}${openMetrics ? exemplarText(series.exemplars[bounds.length]) : ''}`);
      const plain = shared === '' ? ' ' : `{${shared}} `;
      lines.push(`${this.name}_sum${plain}${valueString(series.sum)}`, `${this.name}_count${plain}${valueString(series.count)}`);
    }
    return lines.join('\n');
  }
}

/** The client's label formatting: `name="value"` joined by commas, string values escaped. */
function formatLabels(labels: Readonly<Record<string, string | number>>): string {
  let text = '';
  for (const name in labels) {
    if (!Object.hasOwn(labels, name)) continue;
    const label = labels[name]!;
    const formatted = `${name}="${typeof label === 'string' ? escapeString(label).replace(/"/g, '\\"') : label}"`;
    text = text === '' ? formatted : `${text},${formatted}`;
  }
  return text;
}

/** The client's escaping of names, help text and label values: backslash and newline. */
function escapeString(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** The client's number formatting (`Nan` is its spelling). */
function valueString(number: number): string {
  if (Number.isFinite(number)) return `${number}`;
  if (Number.isNaN(number)) return 'Nan';
  return number < 0 ? '-Inf' : '+Inf';
}

/** The client's exemplar suffix of a bucket line, or nothing without an exemplar. */
function exemplarText(exemplar: BucketExemplar | undefined): string {
  return exemplar === undefined ? '' : ` # {${formatLabels(exemplar.labelSet)}} ${valueString(exemplar.value)} ${exemplar.timestamp}`;
}

function value(
  labels: Record<string, string | number>,
  sharedLabels: CheckedLabels,
  count: number,
  metricName: string,
  exemplar: BucketExemplar | null | undefined,
): StoredValue {
  return { labels, sharedLabels, value: count, metricName, exemplar };
}
