/**
 * The warning for metrics that reach no one: a registry that records but is
 * never rendered, served or pushed (say, `createMetricsRegistry()` handed to
 * a middleware while `--import sightline/register` serves another). Ten
 * seconds after its first observation, a registry that nothing has read
 * warns once per process, through `diag` and a process warning, with what to
 * do instead.
 */
import { diag } from '@opentelemetry/api';

/** How long a registry may record before anything reads it. */
export const UNSERVED_WARNING_DELAY_MILLIS = 10_000;

/** The code of the process warning. */
export const UNSERVED_WARNING_CODE = 'SIGHTLINE_METRICS_UNSERVED';

const warnedKey = Symbol.for('sightline.metrics.unservedWarned');

/** Watches one registry: its first observation starts the clock, any read stops it. */
export class UnservedWatch {
  #read = false;
  #timer: NodeJS.Timeout | undefined;

  /** A metric recorded for the first time. */
  recorded(metric: string): void {
    if (this.#read || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => this.#check(metric), UNSERVED_WARNING_DELAY_MILLIS);
    this.#timer.unref();
  }

  /** Something rendered, served or pushed the registry. */
  read(): void {
    this.#read = true;
    clearTimeout(this.#timer);
  }

  #check(metric: string): void {
    const state = globalThis as { [warnedKey]?: boolean };
    if (this.#read || state[warnedKey] === true) return;
    state[warnedKey] = true;
    const message =
      `sightline: metrics such as ${metric} are recorded into a registry that nothing serves or pushes. ` +
      'Leave out the `registry` option so they go to the default registry (which telemetry serves with ' +
      'OTEL_METRICS_EXPORTER=prometheus and pushes with otlp), or serve yours with createMetricsHandler(registry).';
    diag.warn(message);
    process.emitWarning(message, { code: UNSERVED_WARNING_CODE });
  }
}
