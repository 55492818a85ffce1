/**
 * Warnings about outside input (an invalid id in a header, a refused event)
 * can be triggered by every request, so each call site writes at most a few
 * lines per interval through `diag.warn` and then one line saying how many
 * it suppressed. No timer runs: the count is reported by the first warning
 * of the next interval.
 */
import { diag } from '@opentelemetry/api';

/** Options of {@link createThrottledWarning}. */
export interface ThrottledWarningOptions {
  /** Lines written per interval before suppressing. Default 5. */
  readonly burst?: number;
  /** Length of an interval in milliseconds. Default 60 000. */
  readonly intervalMs?: number;
  /** Current time in milliseconds; for tests. Default `Date.now`. */
  readonly now?: () => number;
}

/** Writes a warning unless this call site already wrote `burst` of them in the current interval. */
export type ThrottledWarning = (message: string) => void;

/** Creates one call site's throttled `diag.warn`. */
export function createThrottledWarning(options: ThrottledWarningOptions = {}): ThrottledWarning {
  const burst = options.burst ?? 5;
  const intervalMs = options.intervalMs ?? 60_000;
  const now = options.now ?? Date.now;
  let windowStart = Number.NEGATIVE_INFINITY;
  let written = 0;
  let suppressed = 0;
  return (message) => {
    const time = now();
    if (time - windowStart >= intervalMs) {
      if (suppressed > 0) diag.warn(`sightline: ${suppressed} similar warning(s) suppressed in the last ${Math.round((time - windowStart) / 1000)} s`);
      windowStart = time;
      written = 0;
      suppressed = 0;
    }
    if (written >= burst) {
      suppressed += 1;
      return;
    }
    written += 1;
    diag.warn(message);
  };
}
