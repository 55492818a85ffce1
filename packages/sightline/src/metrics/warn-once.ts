import { diag } from '@opentelemetry/api';

/**
 * Reports a run-time problem of a metric through `diag`, once per metric:
 * a caller that passes a bad label on every request would otherwise flood
 * the log. Later problems of the same metric are dropped silently (the
 * observation itself is dropped either way).
 */
export class WarnOnce {
  readonly #warned = new Set<string>();

  warn(metric: string, problem: string, detail?: unknown): void {
    if (this.#warned.has(metric)) return;
    this.#warned.add(metric);
    const message = `sightline: ${metric}: ${problem}; further problems of this metric are not reported`;
    if (detail === undefined) diag.warn(message);
    else diag.warn(message, detail);
  }
}
