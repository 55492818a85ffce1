/**
 * Span metrics without a Collector: a span processor that turns every
 * finished span into `sightline_span_duration_seconds` (count and duration
 * by span name, kind, status and module) and every span with status ERROR
 * into `sightline_errors_total` (by module and error type). Span names are
 * meant to be low-cardinality; the registry's series cap folds the rest.
 *
 * It runs for every span, so each series is bound once (labels checked and
 * admitted under the cap) and found again by name, module, kind and status.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_APP_MODULE } from '../tracing/attributes.ts';
import { ATTR_ERROR_TYPE, ATTR_EXCEPTION_TYPE, ERROR_TYPE_VALUE_OTHER } from '@opentelemetry/semantic-conventions';
import { catalogue } from './catalogue.ts';
import type { BoundCounter, BoundHistogram, CounterInstrument, HistogramInstrument } from './instruments.ts';
import type { MetricsRegistry } from './registry.ts';
import { DEFAULT_MAX_SERIES_PER_METRIC } from './registry-options.ts';
import { SeriesCache } from './series-cache.ts';
import { SpanExemplarContext } from './span-exemplar-context.ts';

const KIND_NAMES: Readonly<Record<SpanKind, string>> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

const STATUS_NAMES: Readonly<Record<SpanStatusCode, string>> = {
  [SpanStatusCode.UNSET]: 'unset',
  [SpanStatusCode.OK]: 'ok',
  [SpanStatusCode.ERROR]: 'error',
};

/** Statuses per span kind: a series is cached in slot `kind * STATUS_COUNT + status`. */
const STATUS_COUNT = 3;

/**
 * Feeds span metrics into a registry. Add it to the tracer provider's span
 * processors (`startTelemetry` does so when metrics are on). The duration
 * observation carries the span itself as its exemplar when it is sampled.
 * It keeps only the bound series it records into: `forceFlush` and
 * `shutdown` have nothing to do.
 */
export class SpanMetricsProcessor implements SpanProcessor {
  readonly #duration: HistogramInstrument<'span_name' | 'span_kind' | 'status_code' | 'module'>;
  readonly #errors: CounterInstrument<'module' | 'error_type'>;
  readonly #durations = new SeriesCache<BoundHistogram>(DEFAULT_MAX_SERIES_PER_METRIC);
  readonly #errorCounts = new SeriesCache<BoundCounter>(DEFAULT_MAX_SERIES_PER_METRIC);
  /** The exemplar of a sampled span is the span itself (an unsampled one gets an empty context: no exemplar). */
  readonly #exemplar = new SpanExemplarContext();

  constructor(registry: MetricsRegistry) {
    this.#duration = registry.histogram(catalogue.spanDuration);
    this.#errors = registry.counter(catalogue.errors);
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    const module = stringOf(span.attributes[ATTR_APP_MODULE]) ?? '';
    const kind = KIND_NAMES[span.kind] === undefined ? SpanKind.INTERNAL : span.kind;
    const status = STATUS_NAMES[span.status.code] === undefined ? SpanStatusCode.UNSET : span.status.code;
    const duration = this.#durations.get(span.name, module, kind * STATUS_COUNT + status, () =>
      this.#duration.bind({ span_name: span.name, span_kind: KIND_NAMES[kind], status_code: STATUS_NAMES[status], module }),
    );
    const [seconds, nanos] = span.duration;
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) {
      duration.observe(seconds + nanos / 1e9, ROOT_CONTEXT);
    } else {
      duration.observe(seconds + nanos / 1e9, this.#exemplar.holding(span));
      this.#exemplar.release();
    }
    if (status === SpanStatusCode.ERROR) {
      const errorType = errorTypeOf(span);
      this.#errorCounts.get(module, errorType, 0, () => this.#errors.bind({ module, error_type: errorType })).inc();
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** `error.type` of the span, else the type of its first exception event, else `_OTHER`. */
function errorTypeOf(span: ReadableSpan): string {
  const fromAttribute = stringOf(span.attributes[ATTR_ERROR_TYPE]);
  if (fromAttribute !== undefined && fromAttribute !== '') return fromAttribute;
  for (const event of span.events) {
    if (event.name !== 'exception') continue;
    const fromEvent = stringOf(event.attributes?.[ATTR_EXCEPTION_TYPE]);
    if (fromEvent !== undefined && fromEvent !== '') return fromEvent;
  }
  return ERROR_TYPE_VALUE_OTHER;
}

function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
