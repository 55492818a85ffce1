/**
 * Acks sent together. A JetStream ack is a message without a reply; sent
 * on its own, each costs a socket write and a wake-up of the server. The
 * batch holds acks until the connection's next publish, which carries them
 * in the same write, or at most {@link ACK_DELAY_MS}; acks added meanwhile
 * share that write too. Holding an ack that briefly changes nothing a
 * consumer relies on: the message stays unacknowledged a moment longer, as
 * if the handler had taken that much longer, and a crash in between
 * redelivers it as a crash before the ack would.
 */
import { diag } from '@opentelemetry/api';
import type { JsMsg } from '@nats-io/jetstream';

/** The longest an ack waits for a publish to travel with. */
export const ACK_DELAY_MS = 1;

/** Acks of one connection, waiting to be sent. */
export interface AckBatch {
  /** Acks `msg` with the next write (a publish, or the timer). */
  readonly add: (msg: JsMsg) => void;
  /** Sends every waiting ack now (before a publish, on close). */
  readonly flush: () => void;
}

/** Creates the ack batch of one connection. */
export function createAckBatch(): AckBatch {
  let waiting: JsMsg[] = [];
  /** When the oldest waiting ack was added (`performance.now()`). */
  let oldest = 0;
  let timer: NodeJS.Timeout | undefined;

  const flush = (): void => {
    if (waiting.length === 0) return;
    const acks = waiting;
    waiting = [];
    let failed = 0;
    for (const msg of acks) {
      try {
        msg.ack();
      } catch {
        failed += 1;
      }
    }
    if (failed > 0) diag.warn(`sightline: ${failed} NATS acks could not be sent (connection closed); JetStream redelivers those messages after ackWaitMs`);
  };
  // The timer is left running when a publish takes the acks: re-arming it per ack would cost more than the
  // write it saves. When it fires it sends acks that waited long enough, or waits for the younger ones.
  const due = (): void => {
    timer = undefined;
    if (waiting.length === 0) return;
    const age = performance.now() - oldest;
    if (age >= ACK_DELAY_MS) flush();
    else arm(ACK_DELAY_MS - age);
  };
  const arm = (delayMs: number): void => {
    timer = setTimeout(due, delayMs);
    // The connection's socket keeps the process alive; close() flushes.
    timer.unref();
  };
  return {
    add: (msg) => {
      if (waiting.length === 0) {
        oldest = performance.now();
        if (timer === undefined) arm(ACK_DELAY_MS);
      }
      waiting.push(msg);
    },
    flush,
  };
}
