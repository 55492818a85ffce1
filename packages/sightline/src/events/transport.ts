/**
 * The contract between the event bus and a transport. A transport moves
 * bytes: it stores or queues what `publish` gives it, and calls `deliver`
 * for each message a subscription receives. Everything else (envelopes,
 * validation, tracing, tenant context, retry decisions, metrics) is the
 * bus's job, so a transport is small. `memoryTransport()` (in this package)
 * and `natsTransport()` (in `sightline-nats`) are the two implementations.
 *
 * Rules a transport follows:
 * - Never call `deliver` more than `spec.concurrency` times at once for a
 *   subscription, and wait for the promise it returns before reusing the slot.
 * - After `deliver` settles, the message has been settled through exactly
 *   one of `ack`, `retry` or `deadLetter` (the bus always calls one).
 * - `retry(delayMs)` makes the message come back no sooner than `delayMs`
 *   with `attempt` one higher; `deadLetter(reason)` moves it, with the
 *   reason, to the subscription's dead-letter destination and removes it
 *   from the queue. If either cannot be done, the message must stay
 *   undelivered-but-kept (to be delivered again) rather than be lost.
 * - Header names given to `deliver` are lower-case.
 * - `publish` rejects (never hangs past the transport's timeout) when the
 *   message was not accepted; a rejection that is the caller's to handle
 *   carries a `reason` (`EventRejectionReason`) and is counted by the bus.
 */
import type { EventRejectionReason } from '../errors.ts';
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
}

/** Why a message was dead-lettered: a rejection reason, or `handler_failed` after `maxDeliver` runs. */
export type DeadLetterReason = EventRejectionReason | 'handler_failed';

/** What the bus records on a dead letter. */
export interface DeadLetterInfo {
  readonly reason: DeadLetterReason;
  /** A sentence for people: the parse failure or the last handler error. */
  readonly detail: string;
  /** The `error.type` of the last handler error, for `handler_failed`. */
  readonly errorType?: string;
}

/** One received message, settled by the bus through exactly one of its methods. */
export interface Delivery {
  /** The raw bytes as received. */
  readonly body: Uint8Array;
  /** Headers, lower-case names. */
  readonly headers: MessageHeaders;
  /** 1 for the first delivery, then one more per redelivery. */
  readonly attempt: number;
  /** Processed: remove it. */
  ack(): Promise<void>;
  /** Failed: deliver it again after `delayMs`. */
  retry(delayMs: number): Promise<void>;
  /** Give up: move it to the dead-letter destination with `info`. */
  deadLetter(info: DeadLetterInfo): Promise<void>;
}

/** What the bus asks a transport to receive. */
export interface SubscriptionSpec {
  readonly type: string;
  readonly group: string;
  readonly concurrency: number;
  /** The bus dead-letters after this many runs; a transport must not drop a message before. */
  readonly maxDeliver: number;
  /** The dead-letter destination name (default: the group). */
  readonly deadLetter: string;
}

/** A transport-side subscription. */
export interface TransportSubscription {
  /** Events waiting for this group (queued, pending, or delivered and not yet settled). */
  backlog(): Promise<number>;
  /**
   * Stops receiving and resolves once every `deliver` call has settled.
   * Messages still queued are either delivered first (memory) or left to
   * the broker for redelivery (NATS). Idempotent.
   */
  close(): Promise<void>;
}

/** A transport: see the module documentation for the rules. */
export interface EventTransport {
  /** The `messaging.system` value, e.g. `nats` or `sightline_memory`. */
  readonly system: string;
  publish(message: OutgoingMessage): Promise<void>;
  /** Starts receiving; resolves once messages published from now on will be delivered. */
  subscribe(spec: SubscriptionSpec, deliver: (delivery: Delivery) => Promise<void>): Promise<TransportSubscription>;
  /** Releases connections and timers, after the bus has closed its subscriptions. Idempotent. */
  close(): Promise<void>;
}
