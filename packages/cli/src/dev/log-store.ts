import type { ViewerLog } from './otlp/logs.ts';

/** What {@link LogStore.query} filters on; every field optional. */
export interface LogQuery {
  readonly traceId?: string;
  readonly tenant?: string;
  /** Lowest severity: a name (`debug`, `info`, `warn`, `error`, `fatal`) or a severity number. */
  readonly minSeverity?: number;
  readonly limit?: number;
}

/** The lowest severity number of each level name of the OpenTelemetry log data model. */
export const SEVERITIES: Readonly<Record<string, number>> = { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 };

/** Holds the most recent log records, at most `maxLogs` (default 5000); older ones are dropped first. */
export class LogStore {
  readonly #logs: ViewerLog[] = [];
  readonly #maxLogs: number;
  #dropped = 0;

  constructor(maxLogs = 5000) {
    this.#maxLogs = maxLogs;
  }

  add(logs: readonly ViewerLog[]): void {
    this.#logs.push(...logs);
    const excess = this.#logs.length - this.#maxLogs;
    if (excess > 0) {
      this.#logs.splice(0, excess);
      this.#dropped += excess;
    }
  }

  /** Matching records, oldest first (the newest `limit` of them). */
  query(query: LogQuery = {}): ViewerLog[] {
    const matching = this.#logs.filter(
      (log) =>
        (query.traceId === undefined || log.traceId === query.traceId) &&
        (query.tenant === undefined || tenantOf(log) === query.tenant) &&
        (query.minSeverity === undefined || log.severityNumber >= query.minSeverity),
    );
    return matching.slice(-(query.limit ?? 500));
  }

  /** How many records are held. */
  get size(): number {
    return this.#logs.length;
  }

  /** Records dropped to stay within the bound. */
  get dropped(): number {
    return this.#dropped;
  }
}

/** The tenant a record was written for (`tenant.id` on the record or its resource). */
export function tenantOf(log: ViewerLog): string | undefined {
  const value = log.attributes['tenant.id'] ?? log.resource['tenant.id'];
  return typeof value === 'string' ? value : undefined;
}
