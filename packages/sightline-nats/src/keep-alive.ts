/**
 * Keeping held messages from being redelivered. A subscription holds a
 * JetStream message from the moment it arrives (prefetched, waiting for a
 * worker) until it is settled; one timer per subscription sends JetStream's
 * "working" for every held message each period, which restarts the
 * message's ack wait. A period of a third of `ackWaitMs` leaves a message
 * at most two thirds of its ack wait between two signals.
 */
import { diag } from '@opentelemetry/api';
import type { JsMsg } from '@nats-io/jetstream';

/** The messages one subscription holds unsettled. */
export interface KeepAlive {
  /** Starts keeping `msg` alive. */
  readonly hold: (msg: JsMsg) => void;
  /** Stops keeping `msg` alive (settled, released, or dropped). */
  readonly release: (msg: JsMsg) => void;
  /** How many messages are held. */
  readonly size: number;
  /** Stops the timer; held messages are no longer kept alive. Idempotent. */
  readonly close: () => void;
}

/** The shortest period between two "working" signals, whatever the ack wait. */
const MIN_PERIOD_MS = 100;

/** Creates the keep-alive of one subscription: "working" for each held message every `ackWaitMs / 3`. */
export function createKeepAlive(ackWaitMs: number): KeepAlive {
  const held = new Set<JsMsg>();
  const timer = setInterval(() => {
    for (const msg of held) {
      try {
        msg.working();
      } catch (error) {
        // A closed connection: the server redelivers after the ack wait; nothing more to do here.
        diag.debug('sightline: could not send "working" for a held NATS message', error);
      }
    }
  }, Math.max(MIN_PERIOD_MS, ackWaitMs / 3));
  timer.unref();
  return {
    hold: (msg) => {
      held.add(msg);
    },
    release: (msg) => {
      held.delete(msg);
    },
    get size() {
      return held.size;
    },
    close: () => {
      clearInterval(timer);
      held.clear();
    },
  };
}
