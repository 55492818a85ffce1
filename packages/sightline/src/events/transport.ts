/**
 * The contract between the event bus and a transport. A transport moves
 * bytes: it stores or queues what `publish` gives it, and hands a
 * subscription's messages to the bus as an async iterable (as nats.js
 * consumers do). The bus owns delivery: it runs the one bounded worker pool,
 * parses and validates, runs handlers under a deadline, decides retries and
 * dead letters, and settles every message. `memoryTransport()` (in this
 * package) and `natsTransport()` (in `sightline-nats`) are the two
 * implementations; the transport conformance suite proves both.
 *
 * Rules a transport follows:
 * - A subscription yields a message only when the bus asks for the next one
 *   (the bus asks only while it has a free worker), so nothing piles up in
 *   the bus. A transport may prefetch ahead of that, within a bound of its
 *   own, as long as a prefetched message cannot be redelivered while it
 *   waits (the NATS transport keeps it alive) and `close()` gives back what
 *   no handler started.
 * - Every yielded message is settled by the bus through exactly one of
 *   `ack`, `nak` or `deadLetter`, none of which rejects for a reason the bus
 *   could act on.
 * - `nak(delayMs)` makes the message come back no sooner than `delayMs` with
 *   `attempt` one higher (when `capabilities.delayedRedelivery` is false the
 *   bus waits the delay itself and `nak(0)` asks for it at once).
 * - `deadLetter(info)` moves the message, with the reason, to the
 *   subscription's dead-letter destination and removes it from the queue.
 *   When the dead letter cannot be stored whole (too large), it is stored
 *   cut, with its reason and original size; when it cannot be stored at all,
 *   it is recorded through `diag` and removed, never redelivered for ever.
 *   A transport that is only unreachable for now may redeliver instead.
 * - Header names of a message are lower-case.
 * - A transport that delivers in the same process may hand the bus back the
 *   `local` envelope of the published message with each delivery (the bus
 *   then reads it instead of parsing the body); one that moves bytes leaves
 *   it out. `body` must still hold the bytes (dead letters keep them).
 * - `publish` rejects (never hangs past the transport's timeout) when the
 *   message was not accepted; a rejection that is the caller's to handle
 *   carries a `reason` (`EventRejectionReason`) and is counted by the bus.
 */
import type { EventRejectionReason } from '../errors.ts';
import type { LocalEnvelope } from './local-envelope.ts';
import type { MessageHeaders } from './parse-envelope.ts';

/** A message handed to {@link EventTransport.publish}. */
export interface OutgoingMessage {
  /** The event type; the transport maps it to its destination (queue, subject). */
  readonly type: string;
  /** The envelope id, usable for publish de-duplication. */
  readonly id: string;
  /** The encoded envelope. */
  readonly body: Uint8Array;
  /** Headers to send beside the body (`traceparent`, `tracestate`, `baggage`, `content-type`). */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The checked envelope the bus made, for a transport that delivers in the
   * same process to pass on as {@link TransportMessage.local}; absent when
   * the message must be read from its bytes.
   */
  readonly local?: LocalEnvelope | undefined;
}

/** Why a message was dead-lettered: a rejection reason, or `handler_failed` after `maxDeliver` runs. */
export type DeadLetterReason = EventRejectionReason | 'handler_failed';

/** What the bus records on a dead letter. */
export interface DeadLetterInfo {
  readonly reason: DeadLetterReason;
  /** A sentence for people (at most a few hundred characters): the parse failure or the last handler error. */
  readonly detail: string;
  /** The `error.type` of the last handler error, for `handler_failed`. */
  readonly errorType?: string;
}

/** One received message, settled by the bus through exactly one of its methods. */
export interface TransportMessage {
  /** The raw bytes as received. */
  readonly body: Uint8Array;
  /** Headers, lower-case names. */
  readonly headers: MessageHeaders;
  /** 1 for the first delivery, then one more per redelivery. */
  readonly attempt: number;
  /** The published message's {@link OutgoingMessage.local}, from an in-process transport: the bus reads it instead of `body`. */
  readonly local?: LocalEnvelope | undefined;
  /** Processed: remove it. */
  ack(): Promise<void>;
  /** Failed: deliver it again after `delayMs`. */
  nak(delayMs: number): Promise<void>;
  /** Give up: move it to the dead-letter destination with `info`. */
  deadLetter(info: DeadLetterInfo): Promise<void>;
}

/** What a transport can do; the bus and the conformance suite read it. */
export interface TransportCapabilities {
  /** `nak(delayMs)` delays the redelivery; otherwise the bus waits the delay itself. */
  readonly delayedRedelivery: boolean;
  /** A subscription with `concurrency` 1 receives messages in publish order (retries aside). */
  readonly ordered: boolean;
  /** Messages survive the consuming process: one that dies unsettled gets its messages redelivered. */
  readonly durable: boolean;
  /** The largest body the transport carries, in bytes; the bus refuses larger publishes and bodies. */
  readonly maxMessageBytes: number;
  /** Delivers in the publishing process and hands back {@link OutgoingMessage.local}; the bus then makes one per publish. Default false. */
  readonly localDelivery?: boolean;
}

/** What the bus asks a transport to receive. */
export interface SubscriptionSpec {
  readonly type: string;
  readonly group: string;
  /** Messages the bus processes at once (a transport may prefetch beyond it: see the rules above). */
  readonly concurrency: number;
  /** The bus dead-letters after this many runs; a transport must not drop a message before. */
  readonly maxDeliver: number;
  /** The dead-letter destination name (default: the group). */
  readonly deadLetter: string;
}

/** A transport-side subscription: its messages, as an async iterable the bus pulls from. */
export interface TransportSubscription extends AsyncIterable<TransportMessage> {
  /** Events waiting for this group (queued, pending, or delivered and not yet settled). */
  backlog(): Promise<number>;
  /**
   * Stops receiving: the iteration ends once the transport has nothing more
   * it wants delivered (the memory transport first yields what is queued,
   * up to its drain timeout; NATS leaves it to the broker). Resolves when
   * the iteration has ended and every yielded message was settled. Idempotent.
   */
  close(): Promise<void>;
}

/** A transport: see the module documentation for the rules. */
export interface EventTransport {
  /** The `messaging.system` value, e.g. `nats` or `sightline_memory`. */
  readonly system: string;
  /** What it can do; read after `subscribe` or `publish` resolved (a broker's limits are known once connected). */
  readonly capabilities: TransportCapabilities;
  publish(message: OutgoingMessage): Promise<void>;
  /** Starts receiving; resolves once messages published from now on will be delivered. */
  subscribe(spec: SubscriptionSpec): Promise<TransportSubscription>;
  /** Releases connections and timers, after the bus has closed its subscriptions. Idempotent. */
  close(): Promise<void>;
}
