/**
 * Test helpers for the real NATS server on 127.0.0.1:4222: unique stream
 * and subject names per test, removed afterwards, and a bounded poll.
 */
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamClient, JetStreamManager, StoredMsg } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { until as pollUntil } from '../../../sightline/test/support/poll.ts';
import type { NatsConnection } from '@nats-io/transport-node';

export const NATS_URL = 'nats://127.0.0.1:4222';

export interface NatsFixture {
  readonly stream: string;
  readonly subjectPrefix: string;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** Dead letters stored on `subject`, oldest first. */
  deadLetters(subject: string): Promise<StoredMsg[]>;
}

/** A unique stream name and subject prefix, and a raw connection; both streams are deleted in `t.after`. */
export async function natsFixture(t: TestContext): Promise<NatsFixture> {
  const id = randomBytes(5).toString('hex');
  const stream = `SLTEST_${id}`;
  const subjectPrefix = `sltest.${id}`;
  const nc = await connect({ servers: NATS_URL });
  const jsm = await jetstreamManager(nc);
  t.after(async () => {
    for (const name of [stream, `${stream}_DLQ`]) await jsm.streams.delete(name).catch(() => false);
    await nc.close();
  });
  return {
    stream,
    subjectPrefix,
    nc,
    js: jetstream(nc),
    jsm,
    async deadLetters(subject) {
      const info = await jsm.streams.info(`${stream}_DLQ`).catch(() => undefined);
      const letters: StoredMsg[] = [];
      if (info === undefined) return letters;
      for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq += 1) {
        const message = await jsm.streams.getMessage(`${stream}_DLQ`, { seq }).catch(() => null);
        if (message !== null && message.subject === subject) letters.push(message);
      }
      return letters;
    },
  };
}

/** Resolves when `condition()` holds, for at most `timeoutMs` (default 20 s: JetStream redeliveries are slower than in-process work). */
export function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  return pollUntil(condition, what, timeoutMs);
}

