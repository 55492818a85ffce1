/** The transport conformance suite against the NATS JetStream transport (shared server, own streams per test). */
import { DEAD_LETTER_HEADERS, natsTransport } from 'sightline-nats';
import type { NatsTransportOptions } from 'sightline-nats';
import { describeTransportConformance } from '../../sightline/test/support/transport-conformance.ts';
import { NATS_URL, natsFixture } from './support/nats.ts';

const ACK_WAIT_MS = 1000;

describeTransportConformance({
  name: 'NATS JetStream',
  redeliveryAfterMs: ACK_WAIT_MS,
  timeoutMs: 20_000,
  create: async (t) => {
    const nats = await natsFixture(t);
    const options: NatsTransportOptions = { servers: NATS_URL, stream: nats.stream, subjectPrefix: nats.subjectPrefix, ackWaitMs: ACK_WAIT_MS };
    const transport = natsTransport(options);
    return {
      transport,
      publishRaw: async (type, body) => {
        await nats.js.publish(transport.subjectFor(type), body);
      },
      deadLetters: async (destination) =>
        (await nats.deadLetters(transport.deadLetterSubjectFor(destination))).map((letter) => ({
          reason: letter.header.get(DEAD_LETTER_HEADERS.reason),
          detail: letter.header.get(DEAD_LETTER_HEADERS.detail),
          errorType: letter.header.get(DEAD_LETTER_HEADERS.errorType) || undefined,
          body: letter.data,
        })),
      reopen: () => {
        const next = natsTransport(options);
        t.after(() => next.close());
        return next;
      },
      crash: () => transport.close(),
    };
  },
});
