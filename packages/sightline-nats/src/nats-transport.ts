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
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { connect, nanos } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import type { EventTransport, OutgoingMessage, SubscriptionSpec, TransportCapabilities, TransportSubscription } from 'sightline/events';
import { createAckBatch } from './ack-batch.ts';
import type { AckBatch } from './ack-batch.ts';
import { NatsUnavailableError } from './errors.ts';
import { createJetStreamPublisher } from './jetstream-publisher.ts';
import type { JetStreamPublisher } from './jetstream-publisher.ts';
import { natsSubscription } from './consumer.ts';
import { toNatsHeaders } from './headers.ts';
import { prefetchFor, resolveOptions } from './options.ts';
import type { NatsTransportOptions, ResolvedNatsTransportConfig } from './options.ts';
import { consumerName, subjectTokens } from './subjects.ts';

/** The NATS transport, with the subjects it uses. */
export interface NatsTransport extends EventTransport {
  readonly config: Readonly<ResolvedNatsTransportConfig>;
  /** The subject events of `type` are published on. */
  subjectFor(type: string): string;
  /** The subject dead letters of `destination` are published on. */
  deadLetterSubjectFor(destination: string): string;
}

/** NATS's default `max_payload`, assumed until the server says otherwise. */
const DEFAULT_MAX_PAYLOAD = 1_048_576;
/** Room kept under `max_payload` for headers, so a dead letter of the largest event still fits whole. */
const HEADER_ROOM = 4096;
/** Event types whose subject is remembered; types past this many are checked on every publish. */
const MAX_CACHED_SUBJECTS = 1024;

interface Connected {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** Acks waiting to travel with the next publish. */
  readonly acks: AckBatch;
  readonly publisher: JetStreamPublisher;
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
  /** The open connection, once `connecting` resolved: publishes use it without waiting on the promise. */
  let current: Connected | undefined;
  let closed = false;
  let maxPayload = DEFAULT_MAX_PAYLOAD;

  // Checked once per event type: a publish looks its subject up instead of testing the type again.
  const subjects = new Map<string, string>();
  const subjectFor = (type: string): string => {
    let subject = subjects.get(type);
    if (subject === undefined) {
      subject = `${config.subjectPrefix}.${subjectTokens('event type', type)}`;
      if (subjects.size < MAX_CACHED_SUBJECTS) subjects.set(type, subject);
    }
    return subject;
  };
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
        // Otherwise the client builds two errors with stack traces per request (every publish) in case it fails;
        // a failed publish surfaces as the transport's own typed error, whose stack is the caller's.
        noAsyncTraces: true,
      });
    } catch (error) {
      throw new NatsUnavailableError(config.servers, (error as Error).message, { cause: error });
    }
    void watch(nc).catch((error: unknown) => diag.warn('sightline: NATS status watch ended', error));
    maxPayload = nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
    try {
      const jsm = await jetstreamManager(nc, { timeout: config.publishTimeoutMs });
      await ensureStream(jsm, config.stream, `${config.subjectPrefix}.>`, 'events');
      await ensureStream(jsm, config.deadLetterStream, `${config.deadLetterSubjectPrefix}.>`, 'dlq');
      const connection = {
        nc,
        js: jetstream(nc, { timeout: config.publishTimeoutMs }),
        jsm,
        acks: createAckBatch(),
        publisher: createJetStreamPublisher(nc, config.publishTimeoutMs),
      };
      if (!closed) current = connection;
      return connection;
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

  const publishTo = (
    { acks, publisher }: Connected,
    subject: string,
    body: Uint8Array,
    headers: Iterable<readonly [string, string]>,
    msgID: string,
  ): Promise<void> => {
    // Waiting acks go out in the same write as this publish.
    acks.flush();
    return publisher.publish(subject, body, toNatsHeaders(headers), msgID);
  };

  const transport: NatsTransport = {
    system: 'nats',
    /** Durable, ordered per consumer, nak delays redelivery; the size limit is the server's `max_payload` less header room. */
    get capabilities(): TransportCapabilities {
      return { delayedRedelivery: true, ordered: true, durable: true, maxMessageBytes: maxPayload - HEADER_ROOM };
    },
    config,
    subjectFor,
    deadLetterSubjectFor,

    async publish(message: OutgoingMessage): Promise<void> {
      const subject = subjectFor(message.type);
      await publishTo(current ?? (await connected()), subject, message.body, Object.entries(message.headers), message.id);
    },

    async subscribe(spec: SubscriptionSpec): Promise<TransportSubscription> {
      const subject = subjectFor(spec.type);
      const deadLetterSubject = deadLetterSubjectFor(spec.deadLetter);
      const connection = await connected();
      const { nc, js, jsm } = connection;
      const durable = consumerName(spec.group, spec.type);
      const prefetch = prefetchFor(config, spec.concurrency);
      const settings = {
        ack_wait: nanos(config.ackWaitMs),
        max_deliver: -1,
        // Room for two members holding their running and prefetched messages.
        max_ack_pending: Math.max(1000, 2 * (spec.concurrency + prefetch)),
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
      return natsSubscription({
        spec,
        consumer,
        prefetch,
        connectionClosed: () => nc.isClosed(),
        deadLetterSubject,
        publishTo: (...args) => publishTo(connection, ...args),
        acks: connection.acks,
        config,
        maxPayload: () => maxPayload,
        backlog: async () => {
          const info = await jsm.consumers.info(config.stream, durable);
          return info.num_pending + info.num_ack_pending;
        },
      });
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      current = undefined;
      const opening = connecting;
      connecting = undefined;
      const connection = await opening?.catch(() => undefined);
      if (connection !== undefined && !connection.nc.isClosed()) {
        connection.acks.flush();
        await connection.nc.close();
      }
    },
  };
  return transport;
}
