/**
 * One durable consumer's messages as the bus pulls them: each JetStream
 * message becomes a `TransportMessage` (ack, nak with the bus's delay, or a
 * dead-letter copy then ack), kept alive with "working" while the bus holds
 * it unsettled.
 */
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { DeadLetterInfo, SubscriptionSpec, TransportMessage, TransportSubscription } from 'sightline/events';
import { storeDeadLetter } from './dead-letter.ts';
import type { PublishTo } from './dead-letter.ts';
import { toHeaderMap } from './headers.ts';
import type { ResolvedNatsTransportConfig } from './options.ts';

/** What a consumer needs from the transport that created it. */
export interface ConsumerRun {
  readonly spec: SubscriptionSpec;
  readonly messages: ConsumerMessages;
  readonly deadLetterSubject: string;
  readonly publishTo: PublishTo;
  readonly config: ResolvedNatsTransportConfig;
  readonly backlog: () => Promise<number>;
  /** The server's `max_payload`. */
  readonly maxPayload: () => number;
}

/** The consumer's messages as an async iterable, until `close()`. */
export function natsSubscription(run: ConsumerRun): TransportSubscription {
  const { spec, messages, config } = run;
  let unsettled = 0;
  let allSettled: (() => void) | undefined;

  const toMessage = (msg: JsMsg): TransportMessage => {
    const headers = toHeaderMap(msg.headers);
    const heartbeat = setInterval(() => msg.working(), Math.max(100, config.ackWaitMs / 3));
    heartbeat.unref();
    unsettled += 1;
    let settled = false;
    const settle = async (action: () => void | Promise<void>): Promise<void> => {
      if (settled) return;
      settled = true;
      clearInterval(heartbeat);
      try {
        await action();
      } finally {
        unsettled -= 1;
        if (unsettled === 0) allSettled?.();
      }
    };
    return {
      body: msg.data,
      headers,
      attempt: msg.info.deliveryCount,
      ack: () => settle(() => msg.ack()),
      nak: (delayMs) => settle(() => msg.nak(delayMs)),
      deadLetter: (info: DeadLetterInfo) =>
        settle(async () => {
          const outcome = await storeDeadLetter(
            { msg, headers, group: spec.group, subject: run.deadLetterSubject, maxPayload: run.maxPayload(), publishTo: run.publishTo },
            info,
          );
          if (outcome === 'ack') msg.ack();
          else msg.nak(config.ackWaitMs);
        }),
    };
  };

  let closing: Promise<void> | undefined;
  return {
    backlog: run.backlog,
    async *[Symbol.asyncIterator]() {
      for await (const msg of messages) yield toMessage(msg);
    },
    close() {
      closing ??= (async () => {
        await messages.close();
        if (unsettled > 0) {
          await new Promise<void>((resolve) => {
            allSettled = resolve;
          });
        }
      })();
      return closing;
    },
  };
}
