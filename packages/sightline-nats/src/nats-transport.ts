/**
 * The NATS JetStream transport. One stream per bus holds the events
 * (`<subjectPrefix>.<type>`), a second one the dead letters
 * (`<deadLetterSubjectPrefix>.<destination>`); each consumer group is a
 * durable pull consumer per event type. A message is acked after its handler
 * succeeds, nak'ed with the bus's backoff when it fails, and copied to the
 * dead-letter subject (then acked) when the bus gives up. The envelope id is
 * the `Nats-Msg-Id`, so a publish retried within the duplicate window is
 * stored once.
 */
import { diag } from '@opentelemetry/api';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { connect, nanos, TimeoutError } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { InvalidEventOptionError } from 'sightline/events';
import type { DeadLetterInfo, Delivery, EventTransport, OutgoingMessage, SubscriptionSpec, TransportSubscription } from 'sightline/events';
import { NatsPublishError, NatsPublishTimeoutError, NatsUnavailableError } from './errors.ts';
import { toHeaderMap, toNatsHeaders } from './headers.ts';
import { consumerName, subjectTokens } from './subjects.ts';

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
   * How long JetStream waits for an ack before redelivering. Running handlers
   * extend it (the transport sends "working" every third of it). Default 30 000 ms.
   */
  readonly ackWaitMs?: number;
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

function resolveOptions(options: NatsTransportOptions): ResolvedNatsTransportConfig {
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
    retention,
    maxAgeMs: milliseconds('maxAgeMs', options.maxAgeMs ?? 0, true),
    deadLetterMaxAgeMs: milliseconds('deadLetterMaxAgeMs', options.deadLetterMaxAgeMs ?? 7 * 86_400_000),
    duplicateWindowMs: milliseconds('duplicateWindowMs', options.duplicateWindowMs ?? 120_000),
    name: options.name ?? 'sightline',
  });
}

/** Header names the transport adds to a dead letter. */
export const DEAD_LETTER_HEADERS = Object.freeze({
  reason: 'Sightline-Dead-Letter-Reason',
  detail: 'Sightline-Dead-Letter-Detail',
  errorType: 'Sightline-Error-Type',
  subject: 'Sightline-Original-Subject',
  group: 'Sightline-Consumer-Group',
  deliveries: 'Sightline-Deliveries',
  sequence: 'Sightline-Stream-Sequence',
});

/** The NATS transport, with the subjects it uses. */
export interface NatsTransport extends EventTransport {
  readonly config: Readonly<ResolvedNatsTransportConfig>;
  /** The subject events of `type` are published on. */
  subjectFor(type: string): string;
  /** The subject dead letters of `destination` are published on. */
  deadLetterSubjectFor(destination: string): string;
}

interface Connected {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
}

/**
 * Creates a JetStream transport. Nothing connects until the first publish
 * or subscribe; streams are created (or their subjects added) then.
 *
 * @throws {InvalidEventOptionError} when an option is invalid.
 */
export function natsTransport(options: NatsTransportOptions): NatsTransport {
  const config = resolveOptions(options);
  let connecting: Promise<Connected> | undefined;
  let closed = false;

  const subjectFor = (type: string): string => `${config.subjectPrefix}.${subjectTokens('event type', type)}`;
  const deadLetterSubjectFor = (destination: string): string =>
    `${config.deadLetterSubjectPrefix}.${subjectTokens('deadLetter', destination)}`;

  const watch = async (nc: NatsConnection): Promise<void> => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect') {
        diag.info(`sightline: NATS ${status.type} (${status.server})`);
      } else if (status.type === 'error') {
        diag.warn('sightline: NATS connection error', status.error);
      }
    }
  };

  const ensureStream = async (jsm: JetStreamManager, name: string, subject: string, kind: 'events' | 'dlq'): Promise<void> => {
    const existing = await jsm.streams.info(name).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === 10059 || (error as Error).name === 'StreamNotFoundError') return undefined;
      throw error;
    });
    if (existing !== undefined) {
      if (!existing.config.subjects.includes(subject)) {
        await jsm.streams.update(name, { subjects: [...existing.config.subjects, subject] });
      }
      return;
    }
    await jsm.streams.add({
      name,
      subjects: [subject],
      storage: StorageType.File,
      retention: kind === 'events' && config.retention === 'interest' ? RetentionPolicy.Interest : RetentionPolicy.Limits,
      max_age: nanos(kind === 'events' ? config.maxAgeMs : config.deadLetterMaxAgeMs),
      duplicate_window: nanos(config.duplicateWindowMs),
    });
  };

  const open = async (): Promise<Connected> => {
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers: [...config.servers],
        name: config.name,
        timeout: config.connectTimeoutMs,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
      });
    } catch (error) {
      throw new NatsUnavailableError(config.servers, (error as Error).message, { cause: error });
    }
    void watch(nc).catch((error: unknown) => diag.warn('sightline: NATS status watch ended', error));
    try {
      const jsm = await jetstreamManager(nc, { timeout: config.publishTimeoutMs });
      await ensureStream(jsm, config.stream, `${config.subjectPrefix}.>`, 'events');
      await ensureStream(jsm, config.deadLetterStream, `${config.deadLetterSubjectPrefix}.>`, 'dlq');
      return { nc, js: jetstream(nc, { timeout: config.publishTimeoutMs }), jsm };
    } catch (error) {
      await nc.close();
      throw new NatsUnavailableError(config.servers, `setting up streams failed: ${(error as Error).message}`, { cause: error });
    }
  };

  /** The connection, opened once; a failed attempt is forgotten so the next call tries again. */
  const connected = (): Promise<Connected> => {
    if (closed) return Promise.reject(new NatsUnavailableError(config.servers, 'the transport is closed'));
    connecting ??= open().catch((error: unknown) => {
      connecting = undefined;
      throw error;
    });
    return connecting;
  };

  const publishTo = async (js: JetStreamClient, subject: string, body: Uint8Array, headers: Iterable<readonly [string, string]>, msgID: string): Promise<void> => {
    try {
      await js.publish(subject, body, { msgID, headers: toNatsHeaders(headers), timeout: config.publishTimeoutMs });
    } catch (error) {
      if (error instanceof TimeoutError || (error as Error).name === 'TimeoutError') {
        throw new NatsPublishTimeoutError(subject, config.publishTimeoutMs, { cause: error });
      }
      throw new NatsPublishError(subject, (error as Error).message, { cause: error });
    }
  };

  return {
    system: 'nats',
    config,
    subjectFor,
    deadLetterSubjectFor,

    async publish(message: OutgoingMessage): Promise<void> {
      const subject = subjectFor(message.type);
      const { js } = await connected();
      await publishTo(js, subject, message.body, Object.entries(message.headers), message.id);
    },

    async subscribe(spec: SubscriptionSpec, deliver: (delivery: Delivery) => Promise<void>): Promise<TransportSubscription> {
      const subject = subjectFor(spec.type);
      const deadLetterSubject = deadLetterSubjectFor(spec.deadLetter);
      const { js, jsm } = await connected();
      const durable = consumerName(spec.group, spec.type);
      const settings = {
        ack_wait: nanos(config.ackWaitMs),
        max_deliver: -1,
        max_ack_pending: Math.max(1000, spec.concurrency * 2),
      };
      const existing = await jsm.consumers.info(config.stream, durable).catch(() => undefined);
      if (existing === undefined) {
        await jsm.consumers.add(config.stream, {
          ...settings,
          durable_name: durable,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          filter_subject: subject,
        });
      } else {
        await jsm.consumers.update(config.stream, durable, settings);
      }
      const consumer = await js.consumers.get(config.stream, durable);
      const messages = await consumer.consume({ max_messages: spec.concurrency });
      return runConsumer({ spec, messages, deliver, deadLetterSubject, publishTo: (...args) => publishTo(js, ...args), config,
        backlog: async () => {
          const info = await jsm.consumers.info(config.stream, durable);
          return info.num_pending + info.num_ack_pending;
        } });
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const current = connecting;
      connecting = undefined;
      const connection = await current?.catch(() => undefined);
      if (connection !== undefined && !connection.nc.isClosed()) await connection.nc.close();
    },
  };
}

interface ConsumerRun {
  readonly spec: SubscriptionSpec;
  readonly messages: ConsumerMessages;
  readonly deliver: (delivery: Delivery) => Promise<void>;
  readonly deadLetterSubject: string;
  readonly publishTo: (subject: string, body: Uint8Array, headers: Iterable<readonly [string, string]>, msgID: string) => Promise<void>;
  readonly config: ResolvedNatsTransportConfig;
  readonly backlog: () => Promise<number>;
}

/** Pulls messages and runs at most `concurrency` deliveries at once until closed. */
function runConsumer(run: ConsumerRun): TransportSubscription {
  const { spec, messages, config } = run;
  const running = new Set<Promise<void>>();
  let wake: (() => void) | undefined;

  const settle = (msg: JsMsg): Delivery => {
    const headers = toHeaderMap(msg.headers);
    return {
      body: msg.data,
      headers,
      attempt: msg.info.deliveryCount,
      ack: () => {
        msg.ack();
        return Promise.resolve();
      },
      retry: (delayMs) => {
        msg.nak(delayMs);
        return Promise.resolve();
      },
      deadLetter: async (info: DeadLetterInfo) => {
        const letterHeaders: [string, string][] = [
          ...[...headers].filter(([name]) => name !== 'nats-msg-id'),
          [DEAD_LETTER_HEADERS.reason, info.reason],
          [DEAD_LETTER_HEADERS.detail, info.detail],
          [DEAD_LETTER_HEADERS.subject, msg.subject],
          [DEAD_LETTER_HEADERS.group, spec.group],
          [DEAD_LETTER_HEADERS.deliveries, String(msg.info.deliveryCount)],
          [DEAD_LETTER_HEADERS.sequence, String(msg.info.streamSequence)],
          ...(info.errorType === undefined ? [] : [[DEAD_LETTER_HEADERS.errorType, info.errorType] as [string, string]]),
        ];
        try {
          await run.publishTo(run.deadLetterSubject, msg.data, letterHeaders, `dlq:${msg.info.stream}:${msg.info.streamSequence}:${spec.group}`);
        } catch (error) {
          diag.error(`sightline: could not dead-letter ${msg.subject} #${msg.info.streamSequence}; it will be redelivered`, error);
          msg.nak(config.ackWaitMs);
          return;
        }
        msg.ack();
      },
    };
  };

  const handle = async (msg: JsMsg): Promise<void> => {
    const heartbeat = setInterval(() => msg.working(), Math.max(100, config.ackWaitMs / 3));
    heartbeat.unref();
    try {
      await run.deliver(settle(msg));
    } finally {
      clearInterval(heartbeat);
    }
  };

  const loop = (async () => {
    for await (const msg of messages) {
      while (running.size >= spec.concurrency) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      const task = handle(msg)
        .catch((error: unknown) => diag.error(`sightline: NATS delivery of ${msg.subject} failed`, error))
        .finally(() => {
          running.delete(task);
          wake?.();
          wake = undefined;
        });
      running.add(task);
    }
  })().catch((error: unknown) => diag.error(`sightline: NATS consumer for ${spec.type}/${spec.group} stopped`, error));

  let closing: Promise<void> | undefined;
  return {
    backlog: run.backlog,
    close() {
      closing ??= (async () => {
        await messages.close();
        await loop;
        await Promise.allSettled([...running]);
      })();
      return closing;
    },
  };
}
