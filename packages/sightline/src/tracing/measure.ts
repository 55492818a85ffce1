/**
 * Timing a step inside an operation. By default the duration becomes an
 * event on the active span: cheap, and the step stays visible in the span's
 * timeline without adding a span per step. Ask for `childSpan: true` when
 * the step deserves its own span (it calls out, or you want it in span
 * metrics).
 */
import { trace } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from './stable-semconv.ts';
import { errorType } from './record-error.ts';
import { settle } from './span-result.ts';
import type { SpanResult } from './span-result.ts';
import { withSpan } from './with-span.ts';

/** Event attribute holding the measured duration in milliseconds (fractional). */
export const ATTR_MEASURE_DURATION_MS = 'sightline.measure.duration_ms';

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Extra attributes for the event (or the child span). */
  readonly attributes?: Attributes;
  /** Run `fn` in a child span named `name` instead of adding an event. Default `false`. */
  readonly childSpan?: boolean;
}

/**
 * Runs `fn` and returns what it returns (sync stays sync). When `fn`
 * settles, adds an event named `name` to the active span with
 * `sightline.measure.duration_ms` and, when `fn` failed, `error.type`; the
 * error is rethrown and the span's status is left to its owner. Without an
 * active recording span nothing is recorded. With `childSpan: true` this is
 * `withSpan(name, { attributes }, fn)`.
 */
export function measure<T>(name: string, fn: () => T, options: MeasureOptions = {}): SpanResult<T> {
  if (options.childSpan === true) {
    return withSpan(name, options.attributes === undefined ? {} : { attributes: options.attributes }, () => fn());
  }
  const span = trace.getActiveSpan();
  if (span === undefined || !span.isRecording()) return settle(fn, noop, noop);
  const started = performance.now();
  const record = (extra: Attributes) =>
    span.addEvent(name, { ...options.attributes, [ATTR_MEASURE_DURATION_MS]: performance.now() - started, ...extra });
  return settle(
    fn,
    () => record({}),
    (error) => record({ [ATTR_ERROR_TYPE]: errorType(error) }),
  );
}

function noop(): void {}
