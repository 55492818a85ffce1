/** The options of the NATS transport and their validation. */
import { InvalidEventOptionError } from 'sightline';
import { subjectTokens } from './subjects.ts';

/** Options of {@link natsTransport}. */
export interface NatsTransportOptions {
  /** NATS server URL(s), e.g. `nats://127.0.0.1:4222`. */
  readonly servers: string | readonly string[];
  /** Stream holding the events. Default `SIGHTLINE_EVENTS`; dead letters go to `<stream>_DLQ`. */
  readonly stream?: string;
  /** Events of type `t` are published on `<subjectPrefix>.t`. Default `events`. */
  readonly subjectPrefix?: string;
  /** Dead letters of destination `d` go to `<deadLetterSubjectPrefix>.d`. Default `<subjectPrefix>-dlq`. */
  readonly deadLetterSubjectPrefix?: string;
  /** How long a publish waits for JetStream's acknowledgement before failing. Default 5000 ms. */
  readonly publishTimeoutMs?: number;
  /** How long the first connection attempt may take. Default 5000 ms. */
  readonly connectTimeoutMs?: number;
  /**
   * How long JetStream waits for an ack before redelivering. While the
   * transport holds a message (prefetched and waiting for a worker, or
   * being handled) it extends the wait by sending "working" every third of
   * it. Default 30 000 ms.
   */
  readonly ackWaitMs?: number;
  /**
   * How many messages each subscription fetches ahead of its handlers:
   * received and waiting for a free worker, or requested and on their way.
   * They count as unacknowledged for the consumer group (a process holds up
   * to `concurrency + prefetch`), are kept alive like running ones, and are
   * given back to the group when the subscription closes. Lower it when a
   * group's members run slow handlers and should share work evenly.
   * Default: `max(64, 2 × concurrency)` of each subscription.
   */
  readonly prefetch?: number;
  /**
   * `interest` (default): an event is kept until every consumer group that
   * existed when it was published has processed it; events published while
   * no group exists are not kept. `limits`: events are kept up to
   * `maxAgeMs`, and a new group starts from the oldest kept event.
   */
  readonly retention?: 'interest' | 'limits';
  /** Maximum age of events in the stream (0: no limit). Default 0. */
  readonly maxAgeMs?: number;
  /** Maximum age of dead letters. Default 7 days. */
  readonly deadLetterMaxAgeMs?: number;
  /** Window in which a repeated envelope id is dropped as a duplicate. Default 120 000 ms. */
  readonly duplicateWindowMs?: number;
  /** Connection name shown by the NATS server. Default `sightline`. */
  readonly name?: string;
}

/** The resolved, frozen options of a NATS transport. */
export interface ResolvedNatsTransportConfig {
  readonly servers: readonly string[];
  readonly stream: string;
  readonly deadLetterStream: string;
  readonly subjectPrefix: string;
  readonly deadLetterSubjectPrefix: string;
  readonly publishTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly ackWaitMs: number;
  /** A fixed prefetch for every subscription; `undefined`: `max(64, 2 × concurrency)` per subscription. */
  readonly prefetch: number | undefined;
  readonly retention: 'interest' | 'limits';
  readonly maxAgeMs: number;
  readonly deadLetterMaxAgeMs: number;
  readonly duplicateWindowMs: number;
  readonly name: string;
}

function milliseconds(option: string, value: number, allowZero = false): number {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new InvalidEventOptionError(option, `Expected \`${option}\` to be a ${allowZero ? 'non-negative' : 'positive'} number of milliseconds, got ${value}.`);
  }
  return value;
}

function positiveInteger(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidEventOptionError(option, `Expected \`${option}\` to be a positive integer, got ${value}.`);
  }
  return value;
}

/** The smallest default prefetch, whatever the concurrency. */
const MIN_DEFAULT_PREFETCH = 64;

/** The prefetch of a subscription with `concurrency` workers. */
export function prefetchFor(config: ResolvedNatsTransportConfig, concurrency: number): number {
  return config.prefetch ?? Math.max(MIN_DEFAULT_PREFETCH, 2 * concurrency);
}

/**
 * Validates `options` and fills in the defaults.
 *
 * @throws {InvalidEventOptionError} naming the first invalid option.
 */
export function resolveOptions(options: NatsTransportOptions): ResolvedNatsTransportConfig {
  const servers = typeof options.servers === 'string' ? [options.servers] : [...(options.servers ?? [])];
  if (servers.length === 0 || servers.some((server) => typeof server !== 'string' || server === '')) {
    throw new InvalidEventOptionError('servers', `Expected \`servers\` to be a NATS URL or a non-empty list of them, got ${JSON.stringify(options.servers)}.`);
  }
  const stream = options.stream ?? 'SIGHTLINE_EVENTS';
  if (!/^[A-Za-z0-9_-]+$/.test(stream)) {
    throw new InvalidEventOptionError('stream', `Expected \`stream\` to be letters, digits, _ and -, got ${JSON.stringify(stream)}.`);
  }
  const subjectPrefix = subjectTokens('subjectPrefix', options.subjectPrefix ?? 'events');
  const retention = options.retention ?? 'interest';
  if (retention !== 'interest' && retention !== 'limits') {
    throw new InvalidEventOptionError('retention', `Expected \`retention\` to be "interest" or "limits", got ${JSON.stringify(retention)}.`);
  }
  return Object.freeze({
    servers: Object.freeze(servers),
    stream,
    deadLetterStream: `${stream}_DLQ`,
    subjectPrefix,
    deadLetterSubjectPrefix: subjectTokens('deadLetterSubjectPrefix', options.deadLetterSubjectPrefix ?? `${subjectPrefix}-dlq`),
    publishTimeoutMs: milliseconds('publishTimeoutMs', options.publishTimeoutMs ?? 5000),
    connectTimeoutMs: milliseconds('connectTimeoutMs', options.connectTimeoutMs ?? 5000),
    ackWaitMs: milliseconds('ackWaitMs', options.ackWaitMs ?? 30_000),
    prefetch: options.prefetch === undefined ? undefined : positiveInteger('prefetch', options.prefetch),
    retention,
    maxAgeMs: milliseconds('maxAgeMs', options.maxAgeMs ?? 0, true),
    deadLetterMaxAgeMs: milliseconds('deadLetterMaxAgeMs', options.deadLetterMaxAgeMs ?? 7 * 86_400_000),
    duplicateWindowMs: milliseconds('duplicateWindowMs', options.duplicateWindowMs ?? 120_000),
    name: options.name ?? 'sightline',
  });
}
