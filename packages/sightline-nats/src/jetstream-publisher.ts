/**
 * Publishing to JetStream: a NATS publish with a reply subject, answered by
 * the stream's acknowledgement (`{"stream":…,"seq":…}` or `{"error":…}`), or
 * by a 503 status when no stream listens on the subject. The NATS client's
 * `js.publish` does the same through its general request machinery, which
 * builds several promises, a timer promise and an error with a stack trace
 * per request (the last even after the answer came); here one subscription
 * per connection receives every answer, and a publish costs one promise and
 * one timer.
 */
import { createInbox } from '@nats-io/transport-node';
import type { Msg, MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import { NatsPublishError, NatsPublishTimeoutError } from './errors.ts';

/** Publishes to JetStream and waits for the stream's acknowledgement. */
export interface JetStreamPublisher {
  /**
   * Publishes `body` on `subject` with `headers` and `Nats-Msg-Id: msgID`.
   *
   * @throws {NatsPublishTimeoutError} when no acknowledgement came within the timeout.
   * @throws {NatsPublishError} when JetStream refused the publish or no stream takes the subject.
   */
  publish(subject: string, body: Uint8Array, headers: MsgHdrs, msgID: string): Promise<void>;
}

interface Waiting {
  readonly subject: string;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** The header JetStream de-duplicates publishes by. */
const MSG_ID_HEADER = 'Nats-Msg-Id';
/** The status NATS answers with when nothing subscribes to the subject (no stream takes it). */
const NO_RESPONDERS = 503;

const decoder = new TextDecoder();

/** What a JetStream acknowledgement reports. */
interface PubAck {
  readonly error?: { readonly code?: number; readonly description?: string };
}

/** Creates the publisher of one connection; it subscribes to its reply subjects at once. */
export function createJetStreamPublisher(nc: NatsConnection, timeoutMs: number): JetStreamPublisher {
  const inbox = createInbox();
  const waiting = new Map<string, Waiting>();
  let sequence = 0;

  const answered = (msg: Msg): void => {
    const entry = waiting.get(msg.subject);
    if (entry === undefined) return;
    waiting.delete(msg.subject);
    clearTimeout(entry.timer);
    if (msg.data.length === 0 && msg.headers?.code === NO_RESPONDERS) {
      entry.reject(new NatsPublishError(entry.subject, 'no stream takes the subject (no responders)'));
      return;
    }
    let ack: PubAck;
    try {
      ack = JSON.parse(decoder.decode(msg.data)) as PubAck;
    } catch (error) {
      entry.reject(new NatsPublishError(entry.subject, `the acknowledgement is not JSON: ${(error as Error).message}`, { cause: error }));
      return;
    }
    if (ack.error !== undefined) {
      entry.reject(new NatsPublishError(entry.subject, `${ack.error.description ?? 'refused'} (${ack.error.code ?? 'no code'})`));
      return;
    }
    entry.resolve();
  };

  // A publish waiting when the connection closes for good fails now rather than at its timeout.
  void nc.closed().then(() => {
    for (const [reply, entry] of waiting) {
      waiting.delete(reply);
      clearTimeout(entry.timer);
      entry.reject(new NatsPublishError(entry.subject, 'the connection closed before JetStream acknowledged the publish'));
    }
  });
  nc.subscribe(`${inbox}.*`, {
    callback: (error, msg) => {
      // An error here is the subscription's (a permission violation); the waiting publishes time out.
      if (error === null) answered(msg);
    },
  });

  return {
    publish(subject, body, headers, msgID) {
      headers.set(MSG_ID_HEADER, msgID);
      sequence += 1;
      const reply = `${inbox}.${sequence.toString(36)}`;
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(reply);
          reject(new NatsPublishTimeoutError(subject, timeoutMs));
        }, timeoutMs);
        waiting.set(reply, { subject, resolve, reject, timer });
        try {
          nc.publish(subject, body, { reply, headers });
        } catch (error) {
          waiting.delete(reply);
          clearTimeout(timer);
          reject(new NatsPublishError(subject, (error as Error).message, { cause: error }));
        }
      });
    },
  };
}
