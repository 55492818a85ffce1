/**
 * The bus's one worker pool per subscription: it pulls the next message
 * from the transport only while fewer than `concurrency` are being
 * processed, so a transport never has more than that handed out and the
 * bus holds nothing unbounded.
 */
import { diag } from '@opentelemetry/api';
import type { TransportMessage } from './transport.ts';

/**
 * Processes `messages` with at most `concurrency` runs of `process` at once
 * until the iteration ends, then waits for the runs still going. `process`
 * must settle each message and never reject.
 */
export async function runWorkerPool(
  messages: AsyncIterable<TransportMessage>,
  concurrency: number,
  process: (message: TransportMessage) => Promise<void>,
  name: string,
): Promise<void> {
  const iterator = messages[Symbol.asyncIterator]();
  let running = 0;
  let slotFreed: (() => void) | undefined;
  let idle: (() => void) | undefined;
  const finished = (): void => {
    running -= 1;
    const wake = slotFreed;
    slotFreed = undefined;
    wake?.();
    if (running === 0) idle?.();
  };
  for (;;) {
    if (running >= concurrency) {
      await new Promise<void>((resolve) => {
        slotFreed = resolve;
      });
      continue;
    }
    let next: IteratorResult<TransportMessage>;
    try {
      next = await iterator.next();
    } catch (error) {
      diag.error(`sightline: the transport stopped delivering ${name}`, error);
      break;
    }
    if (next.done === true) break;
    running += 1;
    void process(next.value).then(finished, finished);
  }
  if (running > 0) await new Promise<void>((resolve) => {
    idle = resolve;
  });
}
