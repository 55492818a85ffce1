/** The transport conformance suite against the memory transport. */
import { memoryTransport } from 'sightline/events';
import type { MemoryTransport } from 'sightline/events';
import { describeTransportConformance } from './support/transport-conformance.ts';

describeTransportConformance({
  name: 'memory',
  redeliveryAfterMs: 0,
  timeoutMs: 10_000,
  create: () => {
    const transport: MemoryTransport = memoryTransport({ capacity: 10_000, maxMessageBytes: 64 * 1024 });
    return Promise.resolve({
      transport,
      publishRaw: (type, body) => transport.publish({ type, id: 'raw', body, headers: {} }),
      deadLetters: (destination) =>
        Promise.resolve(
          transport
            .deadLetters()
            .filter((letter) => letter.destination === destination)
            .map((letter) => ({ reason: letter.info.reason, detail: letter.info.detail, errorType: letter.info.errorType, body: letter.body })),
        ),
      reopen: () => transport,
      crash: () => Promise.resolve(),
    });
  },
});
