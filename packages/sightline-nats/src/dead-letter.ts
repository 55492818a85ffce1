/**
 * Copying a message to its dead-letter subject. The copy carries the
 * original bytes and headers plus Sightline's dead-letter headers. When that
 * is more than the server's `max_payload` (or the server refuses it), a cut
 * copy is stored instead: the first bytes of the body, the dead-letter
 * headers and `Sightline-Original-Size`. When even that cannot be stored,
 * the dead letter is recorded through `diag` and the message removed; only a
 * timeout (NATS unreachable for now) leaves it to be redelivered.
 */
import { diag } from '@opentelemetry/api';
import type { JsMsg } from '@nats-io/jetstream';
import type { DeadLetterInfo } from 'sightline/events';
import { DEAD_LETTER_HEADERS } from './dead-letter-headers.ts';
import { NatsPublishTimeoutError } from './errors.ts';

/** Publishes on a subject with a de-duplication id; rejects with the transport's typed errors. */
export type PublishTo = (subject: string, body: Uint8Array, headers: Iterable<readonly [string, string]>, msgID: string) => Promise<void>;

/** Room kept for NATS's own framing beside headers and body. */
const FRAMING_BYTES = 512;

const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');
const headersLength = (headers: readonly (readonly [string, string])[]): number =>
  headers.reduce((sum, [name, value]) => sum + utf8Length(name) + utf8Length(value) + 4, 12);

/** What the dead-letter copy needs to know about the message and where it goes. */
export interface DeadLetterTarget {
  readonly msg: JsMsg;
  readonly headers: ReadonlyMap<string, string>;
  readonly group: string;
  readonly subject: string;
  readonly maxPayload: number;
  readonly publishTo: PublishTo;
}

/**
 * Stores the dead letter (whole, else cut) and resolves with what to do with
 * the original: `ack` once stored or recorded, `redeliver` when NATS did not
 * answer in time.
 */
export async function storeDeadLetter(target: DeadLetterTarget, info: DeadLetterInfo): Promise<'ack' | 'redeliver'> {
  const { msg } = target;
  const letterHeaders: [string, string][] = [
    [DEAD_LETTER_HEADERS.reason, info.reason],
    [DEAD_LETTER_HEADERS.detail, info.detail],
    [DEAD_LETTER_HEADERS.subject, msg.subject],
    [DEAD_LETTER_HEADERS.group, target.group],
    [DEAD_LETTER_HEADERS.deliveries, String(msg.info.deliveryCount)],
    [DEAD_LETTER_HEADERS.sequence, String(msg.info.streamSequence)],
    ...(info.errorType === undefined ? [] : [[DEAD_LETTER_HEADERS.errorType, info.errorType] as [string, string]]),
  ];
  const original = [...target.headers].filter(([name]) => name !== 'nats-msg-id');
  const whole = [...original, ...letterHeaders];
  const msgID = `dlq:${msg.info.stream}:${msg.info.streamSequence}:${target.group}`;
  const fits = msg.data.length + headersLength(whole) + FRAMING_BYTES <= target.maxPayload;
  let refusal: unknown;
  if (fits) {
    try {
      await target.publishTo(target.subject, msg.data, whole, msgID);
      return 'ack';
    } catch (error) {
      if (error instanceof NatsPublishTimeoutError) return timedOut(msg, error);
      refusal = error;
    }
  }
  const traceparent = target.headers.get('traceparent');
  const cutHeaders: [string, string][] = [
    ...letterHeaders,
    [DEAD_LETTER_HEADERS.originalSize, String(msg.data.length)],
    ...(traceparent === undefined ? [] : [['traceparent', traceparent] as [string, string]]),
  ];
  const room = Math.max(0, target.maxPayload - headersLength(cutHeaders) - FRAMING_BYTES);
  try {
    await target.publishTo(target.subject, msg.data.subarray(0, room), cutHeaders, msgID);
    diag.warn(`sightline: the dead letter of ${msg.subject} #${msg.info.streamSequence} (${info.reason}) was stored cut to ${room} of ${msg.data.length} bytes`, refusal);
    return 'ack';
  } catch (error) {
    if (error instanceof NatsPublishTimeoutError) return timedOut(msg, error);
    diag.error(
      `sightline: could not store the dead letter of ${msg.subject} #${msg.info.streamSequence} for group ${target.group} ` +
        `(${info.reason}: ${info.detail}; ${msg.data.length} bytes); it is recorded here and removed`,
      error,
    );
    return 'ack';
  }
}

function timedOut(msg: JsMsg, error: unknown): 'redeliver' {
  diag.error(`sightline: could not dead-letter ${msg.subject} #${msg.info.streamSequence} in time; it will be redelivered`, error);
  return 'redeliver';
}
