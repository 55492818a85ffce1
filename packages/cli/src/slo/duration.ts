/**
 * Prometheus durations (`500ms`, `30s`, `5m`, `1h`, `1d`, `1w`, or a
 * combination such as `1h30m`), as used in SLO files and rule options.
 */

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };
const DURATION = /^(?:\d+(?:ms|s|m|h|d|w|y))+$/;
const PART = /(\d+)(ms|s|m|h|d|w|y)/g;

/** True when `text` is a Prometheus duration. */
export function isDuration(text: string): boolean {
  return DURATION.test(text);
}

/** The number of seconds in a Prometheus duration; `text` must satisfy {@link isDuration}. */
export function durationSeconds(text: string): number {
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(PART)) {
    // Milliseconds are divided, not multiplied by 0.001, so 75ms is exactly 0.075.
    seconds += unit === 'ms' ? Number(amount) / 1000 : Number(amount) * (UNIT_SECONDS[unit ?? 's'] ?? 1);
  }
  return seconds;
}
