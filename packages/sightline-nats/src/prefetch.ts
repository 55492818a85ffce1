/**
 * Prefetching a durable consumer's messages into a bounded buffer of the
 * transport's own. JetStream is asked for batches (`fetch`) so that the
 * messages buffered plus those requested and not yet arrived never exceed
 * `size`; a new batch is requested once half of that room is free. Every
 * message is handed to `hold` the moment it arrives, so it is kept alive
 * (see keep-alive.ts) while it waits for a worker: unlike the NATS client's
 * own `consume()` buffer, where a message waits without heartbeats and
 * comes back after the ack wait when the handlers are slow.
 *
 * After a reconnect the NATS client asks again for a whole batch, so a
 * buffer can briefly hold more than `size`; messages are never dropped to
 * keep the bound.
 */
import { diag } from '@opentelemetry/api';
import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';

/** What a prefetch needs. */
export interface PrefetchOptions {
  readonly consumer: Consumer;
  /** Most messages buffered plus requested at once. */
  readonly size: number;
  /** Called for each message as it arrives. */
  readonly hold: (msg: JsMsg) => void;
  /** Called for each buffered message when the connection closed for good (the server redelivers it after the ack wait). */
  readonly drop: (msg: JsMsg) => void;
  /** Whether the connection is closed for good (then the prefetch ends). */
  readonly connectionClosed: () => boolean;
}

/** A running prefetch: one reader takes messages in arrival order. */
export interface Prefetch {
  /** The next message, waiting for one when the buffer is empty; `undefined` once stopped or the connection closed. */
  next(): Promise<JsMsg | undefined>;
  /**
   * Stops requesting and ends `next()`. Returns the messages buffered and
   * not taken, for the caller to release; messages still arriving from
   * open requests are passed to `late`. Idempotent.
   */
  stop(late: (msg: JsMsg) => void): JsMsg[];
}

/** How long one batch request waits on the server for its messages (the NATS client's default for `consume`). */
const BATCH_EXPIRES_MS = 30_000;
/** Wait before asking again after a batch request failed (consumer gone, server unreachable). */
const RETRY_AFTER_MS = 1_000;

/** Starts prefetching: the first batch is requested at once. */
export function startPrefetch(options: PrefetchOptions): Prefetch {
  const { consumer, size, hold, drop, connectionClosed } = options;
  const refillAt = Math.max(1, Math.floor(size / 2));
  const buffer: JsMsg[] = [];
  const batches = new Set<ConsumerMessages>();
  let requested = 0;
  let requesting = false;
  let stopped = false;
  let late: ((msg: JsMsg) => void) | undefined;
  let waiter: ((msg: JsMsg | undefined) => void) | undefined;
  let retry: NodeJS.Timeout | undefined;

  const end = (): void => {
    stopped = true;
    clearTimeout(retry);
    const wake = waiter;
    waiter = undefined;
    wake?.(undefined);
  };

  const arrived = (msg: JsMsg): void => {
    if (stopped) {
      late?.(msg);
      return;
    }
    hold(msg);
    const wake = waiter;
    if (wake === undefined) {
      buffer.push(msg);
      return;
    }
    waiter = undefined;
    wake(msg);
    refill();
  };

  const failed = (error: unknown): void => {
    if (stopped) return;
    if (connectionClosed()) {
      for (const msg of buffer.splice(0)) drop(msg);
      end();
      return;
    }
    diag.warn(`sightline: requesting NATS messages failed; asking again in ${RETRY_AFTER_MS} ms`, error);
    retry = setTimeout(() => {
      retry = undefined;
      refill();
    }, RETRY_AFTER_MS);
  };

  const drain = async (batch: ConsumerMessages, count: number): Promise<void> => {
    let left = count;
    let failure: unknown;
    try {
      for await (const msg of batch) {
        if (left > 0) {
          left -= 1;
          requested -= 1;
        }
        arrived(msg);
      }
    } catch (error) {
      failure = error ?? new Error('the batch request ended with an error');
    }
    requested -= left;
    batches.delete(batch);
    if (failure !== undefined) failed(failure);
    else if (connectionClosed()) failed(undefined);
    else refill();
  };

  function refill(): void {
    if (stopped || requesting || retry !== undefined) return;
    const room = size - buffer.length - requested;
    if (room < refillAt) return;
    requesting = true;
    requested += room;
    consumer.fetch({ max_messages: room, expires: BATCH_EXPIRES_MS }).then(
      (batch) => {
        requesting = false;
        if (stopped) {
          void batch.close();
          return;
        }
        batches.add(batch);
        void drain(batch, room);
        refill();
      },
      (error: unknown) => {
        requesting = false;
        requested -= room;
        failed(error);
      },
    );
  }

  refill();
  return {
    next() {
      const msg = buffer.shift();
      if (msg !== undefined) {
        refill();
        return Promise.resolve(msg);
      }
      if (stopped) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        waiter = resolve;
      });
    },
    stop(onLate) {
      if (stopped) return [];
      late = onLate;
      end();
      for (const batch of batches) void batch.close();
      return buffer.splice(0);
    },
  };
}
