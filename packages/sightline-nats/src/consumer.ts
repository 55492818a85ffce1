/**
 * One durable consumer's messages as the bus pulls them: each JetStream
 * message becomes a `TransportMessage` (ack, nak with the bus's delay, or a
 * dead-letter copy then ack). Messages are prefetched into a bounded buffer
 * and kept alive with "working" from their arrival until they are settled,
 * so neither waiting for a worker nor a long handler run lets the ack wait
 * run out. Closing releases the prefetched messages no handler started
 * (nak: JetStream offers them to the group again at once).
 */
import { diag } from '@opentelemetry/api';
import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { DeadLetterInfo, SubscriptionSpec, TransportMessage, TransportSubscription } from 'sightline/events';
import type { AckBatch } from './ack-batch.ts';
import { storeDeadLetter } from './dead-letter.ts';
import type { PublishTo } from './dead-letter.ts';
import { toHeaderMap } from './headers.ts';
import { createKeepAlive } from './keep-alive.ts';
import type { ResolvedNatsTransportConfig } from './options.ts';
import { startPrefetch } from './prefetch.ts';

/** What a consumer needs from the transport that created it. */
export interface ConsumerRun {
  readonly spec: SubscriptionSpec;
  readonly consumer: Consumer;
  /** Messages prefetched beyond those the handlers run (buffered plus requested). */
  readonly prefetch: number;
  readonly deadLetterSubject: string;
  readonly publishTo: PublishTo;
  /** The connection's acks, sent with its next publish or after a moment. */
  readonly acks: AckBatch;
  readonly config: ResolvedNatsTransportConfig;
  readonly backlog: () => Promise<number>;
  /** The server's `max_payload`. */
  readonly maxPayload: () => number;
  /** Whether the connection is closed for good. */
  readonly connectionClosed: () => boolean;
}

/** Gives a message back to JetStream for redelivery now; a closed connection leaves it to the ack wait. */
function release(msg: JsMsg): void {
  try {
    msg.nak();
  } catch (error) {
    diag.debug('sightline: could not release a prefetched NATS message; it is redelivered after the ack wait', error);
  }
}

/** The consumer's messages as an async iterable, until `close()`. */
export function natsSubscription(run: ConsumerRun): TransportSubscription {
  const { spec, config } = run;
  const keepAlive = createKeepAlive(config.ackWaitMs);
  const prefetch = startPrefetch({
    consumer: run.consumer,
    size: run.prefetch,
    hold: keepAlive.hold,
    drop: keepAlive.release,
    connectionClosed: run.connectionClosed,
  });
  let unsettled = 0;
  let allSettled: (() => void) | undefined;

  const toMessage = (msg: JsMsg): TransportMessage => {
    const headers = toHeaderMap(msg.headers);
    unsettled += 1;
    let settled = false;
    const settle = async (action: () => void | Promise<void>): Promise<void> => {
      if (settled) return;
      settled = true;
      try {
        await action();
      } finally {
        keepAlive.release(msg);
        unsettled -= 1;
        if (unsettled === 0) allSettled?.();
      }
    };
    return {
      body: msg.data,
      headers,
      attempt: msg.info.deliveryCount,
      ack: () => settle(() => run.acks.add(msg)),
      nak: (delayMs) => settle(() => msg.nak(delayMs)),
      deadLetter: (info: DeadLetterInfo) =>
        settle(async () => {
          const outcome = await storeDeadLetter(
            { msg, headers, group: spec.group, subject: run.deadLetterSubject, maxPayload: run.maxPayload(), publishTo: run.publishTo },
            info,
          );
          if (outcome === 'ack') run.acks.add(msg);
          else msg.nak(config.ackWaitMs);
        }),
    };
  };

  const releaseHeld = (msg: JsMsg): void => {
    keepAlive.release(msg);
    release(msg);
  };

  let closing: Promise<void> | undefined;
  return {
    backlog: run.backlog,
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<TransportMessage>> => {
        const msg = await prefetch.next();
        return msg === undefined ? { done: true, value: undefined } : { done: false, value: toMessage(msg) };
      },
    }),
    close() {
      closing ??= (async () => {
        for (const msg of prefetch.stop(releaseHeld)) releaseHeld(msg);
        if (unsettled > 0) {
          await new Promise<void>((resolve) => {
            allSettled = resolve;
          });
        }
        run.acks.flush();
        keepAlive.close();
      })();
      return closing;
    },
  };
}
