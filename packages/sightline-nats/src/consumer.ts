/**
 * One durable consumer's pull loop: at most `concurrency` deliveries at once,
 * ack after success, nak with the bus's backoff on failure, and a copy to the
 * dead-letter subject (then ack) when the bus gives up.
 */
import { diag } from '@opentelemetry/api';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { DeadLetterInfo, Delivery, SubscriptionSpec, TransportSubscription } from 'sightline/events';
import { DEAD_LETTER_HEADERS } from './dead-letter-headers.ts';
import { toHeaderMap } from './headers.ts';
import type { ResolvedNatsTransportConfig } from './options.ts';

/** What a consumer needs from the transport that created it. */
export interface ConsumerRun {
  readonly spec: SubscriptionSpec;
  readonly messages: ConsumerMessages;
  readonly deliver: (delivery: Delivery) => Promise<void>;
  readonly deadLetterSubject: string;
  readonly publishTo: (subject: string, body: Uint8Array, headers: Iterable<readonly [string, string]>, msgID: string) => Promise<void>;
  readonly config: ResolvedNatsTransportConfig;
  readonly backlog: () => Promise<number>;
}

/** Pulls messages and runs at most `concurrency` deliveries at once until closed. */
export function runConsumer(run: ConsumerRun): TransportSubscription {
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
