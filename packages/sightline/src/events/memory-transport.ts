/**
 * The in-process transport, the bus's default. Each subscription (event
 * type and consumer group) has a bounded queue that the bus pulls from.
 * Nothing is persisted: events still queued when the process exits are
 * gone, and an event published while no group subscribes to its type is
 * delivered to no one. Use `sightline-nats` when events must survive a
 * restart or cross processes.
 */
import { diag } from '@opentelemetry/api';
import { EventQueueFullError, InvalidEventOptionError } from '../errors.ts';
import { MAX_ENVELOPE_BYTES } from './parse-envelope.ts';
import type { LocalEnvelope } from './local-envelope.ts';
import type { MessageHeaders } from './parse-envelope.ts';
import type {
  DeadLetterInfo,
  EventTransport,
  OutgoingMessage,
  SubscriptionSpec,
  TransportCapabilities,
  TransportMessage,
  TransportSubscription,
} from './transport.ts';

/** Options of {@link memoryTransport}. */
export interface MemoryTransportOptions {
  /** Events each subscription's queue holds before `onFull` applies. Default 1000. */
  readonly capacity?: number;
  /**
   * When a queue is full: `reject` makes `publish` reject with
   * `EventQueueFullError` (counted as `queue_full`); `wait` makes it wait
   * for room. Default `reject`.
   */
  readonly onFull?: 'reject' | 'wait';
  /** Dead letters kept for {@link MemoryTransport.deadLetters}; the oldest go first. Default 1000. */
  readonly deadLetterLimit?: number;
  /**
   * How long a subscription's `close()` waits for its queue (including
   * retries not yet due) to drain. What is left then is dead-lettered with
   * reason `shutdown`. Default 30 000 ms.
   */
  readonly drainTimeoutMs?: number;
  /** Largest event body accepted, in bytes. Default 1 MiB (`MAX_ENVELOPE_BYTES`). */
  readonly maxMessageBytes?: number;
}

/** A dead letter kept by the memory transport. */
export interface MemoryDeadLetter {
  /** The subscription's dead-letter destination name. */
  readonly destination: string;
  readonly type: string;
  readonly group: string;
  readonly body: Uint8Array;
  readonly headers: MessageHeaders;
  /** Deliveries made before it was dead-lettered. */
  readonly attempts: number;
  readonly info: DeadLetterInfo;
}

/** The memory transport, with read access to its dead letters. */
export interface MemoryTransport extends EventTransport {
  /** Dead letters so far, oldest first (at most `deadLetterLimit`). */
  deadLetters(): readonly MemoryDeadLetter[];
}

interface ResolvedMemoryOptions {
  readonly capacity: number;
  readonly onFull: 'reject' | 'wait';
  readonly deadLetterLimit: number;
  readonly drainTimeoutMs: number;
  readonly maxMessageBytes: number;
}

function positiveInteger(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidEventOptionError(option, `Expected \`${option}\` to be a positive integer, got ${value}.`);
  }
  return value;
}

function resolveOptions(options: MemoryTransportOptions): ResolvedMemoryOptions {
  const onFull = options.onFull ?? 'reject';
  if (onFull !== 'reject' && onFull !== 'wait') {
    throw new InvalidEventOptionError('onFull', `Expected \`onFull\` to be "reject" or "wait", got ${JSON.stringify(onFull)}.`);
  }
  return Object.freeze({
    capacity: positiveInteger('capacity', options.capacity ?? 1000),
    onFull,
    deadLetterLimit: positiveInteger('deadLetterLimit', options.deadLetterLimit ?? 1000),
    drainTimeoutMs: positiveInteger('drainTimeoutMs', options.drainTimeoutMs ?? 30_000),
    maxMessageBytes: positiveInteger('maxMessageBytes', options.maxMessageBytes ?? MAX_ENVELOPE_BYTES),
  });
}

/** Creates an in-memory transport. See {@link MemoryTransportOptions}. */
export function memoryTransport(options: MemoryTransportOptions = {}): MemoryTransport {
  const config = resolveOptions(options);
  const queues = new Map<string, Set<MemoryQueue>>();
  const deadLetters: MemoryDeadLetter[] = [];
  const capabilities: TransportCapabilities = Object.freeze({
    delayedRedelivery: true,
    ordered: true,
    durable: false,
    maxMessageBytes: config.maxMessageBytes,
    localDelivery: true,
  });

  const keep = (letter: MemoryDeadLetter): void => {
    deadLetters.push(letter);
    if (deadLetters.length > config.deadLetterLimit) {
      deadLetters.shift();
      diag.warn(`sightline: memory transport dropped its oldest dead letter (limit ${config.deadLetterLimit})`);
    }
  };

  const fullQueueOf = (type: string): MemoryQueue | undefined => {
    for (const queue of queues.get(type) ?? []) if (queue.isFull()) return queue;
    return undefined;
  };

  return {
    system: 'sightline_memory',
    capabilities,

    async publish(message: OutgoingMessage): Promise<void> {
      for (;;) {
        const full = fullQueueOf(message.type);
        if (full === undefined) break;
        if (config.onFull === 'reject') throw new EventQueueFullError(message.type, full.spec.group, config.capacity);
        await full.waitForRoom();
      }
      const targets = queues.get(message.type);
      if (targets === undefined) return;
      const headers = new Map<string, string>();
      for (const name of Object.keys(message.headers)) headers.set(name.toLowerCase(), message.headers[name]!);
      for (const queue of targets) queue.enqueue({ published: message, headers, attempt: 1 });
    },

    subscribe(spec: SubscriptionSpec): Promise<TransportSubscription> {
      const set = queues.get(spec.type) ?? new Set();
      const queue = new MemoryQueue(spec, config, keep, () => {
        set.delete(queue);
        if (set.size === 0 && queues.get(spec.type) === set) queues.delete(spec.type);
      });
      set.add(queue);
      queues.set(spec.type, set);
      return Promise.resolve(queue);
    },

    close: () => Promise.resolve(),

    deadLetters: () => [...deadLetters],
  };
}

interface QueuedMessage {
  /** What the bus published: its body is read only when needed (a bus-made message encodes it then). */
  readonly published: OutgoingMessage;
  readonly headers: MessageHeaders;
  readonly attempt: number;
}

const DONE: IteratorResult<TransportMessage> = Object.freeze({ done: true, value: undefined });

/** One subscription's queue: a bounded list of messages, the retries not yet due, and what the bus holds unsettled. */
class MemoryQueue implements TransportSubscription {
  readonly spec: SubscriptionSpec;
  readonly #config: ResolvedMemoryOptions;
  readonly #keep: (letter: MemoryDeadLetter) => void;
  readonly #detach: () => void;
  readonly #items: QueuedMessage[] = [];
  readonly #timers = new Map<NodeJS.Timeout, QueuedMessage>();
  #unsettled = 0;
  #reader: ((result: IteratorResult<TransportMessage>) => void) | undefined;
  #roomWaiters: (() => void)[] = [];
  #closing: Promise<void> | undefined;
  #ended = false;
  #onEnded: (() => void) | undefined;

  constructor(spec: SubscriptionSpec, config: ResolvedMemoryOptions, keep: (letter: MemoryDeadLetter) => void, detach: () => void) {
    this.spec = spec;
    this.#config = config;
    this.#keep = keep;
    this.#detach = detach;
  }

  isFull(): boolean {
    return this.#items.length >= this.#config.capacity;
  }

  backlog(): Promise<number> {
    return Promise.resolve(this.#items.length + this.#unsettled + this.#timers.size);
  }

  waitForRoom(): Promise<void> {
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  enqueue(message: QueuedMessage): void {
    const reader = this.#reader;
    if (reader !== undefined) {
      this.#reader = undefined;
      reader({ done: false, value: this.#hand(message) });
      return;
    }
    this.#items.push(message);
  }

  [Symbol.asyncIterator](): AsyncIterator<TransportMessage> {
    return { next: () => this.#next() };
  }

  /**
   * Stops taking publishes; the iteration ends once nothing is queued,
   * waiting to be retried or unsettled, or after the drain timeout (what is
   * left then is dead-lettered with reason `shutdown`).
   */
  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#closing = promise;
    this.#detach();
    const timer = setTimeout(() => this.#abandon(), this.#config.drainTimeoutMs);
    this.#onEnded = () => {
      clearTimeout(timer);
      resolve();
    };
    this.#checkEnded();
    return promise;
  }

  #next(): Promise<IteratorResult<TransportMessage>> {
    const message = this.#items.shift();
    if (message !== undefined) {
      this.#wakeRoomWaiters();
      return Promise.resolve({ done: false, value: this.#hand(message) });
    }
    if (this.#ended) return Promise.resolve(DONE);
    return new Promise((resolve) => {
      this.#reader = resolve;
    });
  }

  /** The message as the bus sees it. */
  #hand(message: QueuedMessage): TransportMessage {
    this.#unsettled += 1;
    return new MemoryDelivery(this, message);
  }

  /** Settles a handed-out message: `retryAfterMs` re-queues it after that delay, `deadLetter` moves it to the dead letters, neither removes it. */
  settle(message: QueuedMessage, retryAfterMs: number | undefined, deadLetter: DeadLetterInfo | undefined): void {
    this.#unsettled -= 1;
    if (deadLetter !== undefined) {
      this.#deadLetter(message, deadLetter);
    } else if (retryAfterMs !== undefined) {
      this.#retry(message, retryAfterMs);
    }
    this.#checkEnded();
  }

  #retry(message: QueuedMessage, delayMs: number): void {
    if (this.#ended) {
      this.#deadLetter(message, { reason: 'shutdown', detail: 'a retry was asked for after the drain timeout ran out' });
      return;
    }
    const next = { ...message, attempt: message.attempt + 1 };
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.enqueue(next);
    }, delayMs);
    this.#timers.set(timer, next);
  }

  #deadLetter(message: QueuedMessage, info: DeadLetterInfo): void {
    this.#keep({
      destination: this.spec.deadLetter,
      type: this.spec.type,
      group: this.spec.group,
      body: message.published.body,
      headers: message.headers,
      attempts: message.attempt,
      info,
    });
  }

  #abandon(): void {
    const left = [...this.#items.splice(0), ...this.#timers.values()];
    for (const timer of this.#timers.keys()) clearTimeout(timer);
    this.#timers.clear();
    for (const message of left) {
      this.#deadLetter(message, { reason: 'shutdown', detail: `still queued when the drain timeout (${this.#config.drainTimeoutMs} ms) ran out` });
    }
    diag.warn(`sightline: ${left.length} event(s) of ${this.spec.type} for group ${this.spec.group} were dead-lettered at close (drain timeout)`);
    this.#end();
  }

  #wakeRoomWaiters(): void {
    const waiters = this.#roomWaiters;
    this.#roomWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Ends the iteration once closing and nothing more can come. */
  #checkEnded(): void {
    if (this.#closing === undefined || this.#items.length + this.#timers.size + this.#unsettled > 0) return;
    this.#end();
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const reader = this.#reader;
    this.#reader = undefined;
    reader?.(DONE);
    this.#onEnded?.();
  }
}

const SETTLED = Promise.resolve();

/** One delivery of a queued message; the first settlement counts, later ones are ignored. */
class MemoryDelivery implements TransportMessage {
  readonly headers: MessageHeaders;
  readonly attempt: number;
  readonly local: LocalEnvelope | undefined;
  readonly #queue: MemoryQueue;
  readonly #message: QueuedMessage;
  #settled = false;

  constructor(queue: MemoryQueue, message: QueuedMessage) {
    this.#queue = queue;
    this.#message = message;
    this.headers = message.headers;
    this.attempt = message.attempt;
    this.local = message.published.local;
  }

  get body(): Uint8Array {
    return this.#message.published.body;
  }

  ack(): Promise<void> {
    return this.#settle(undefined, undefined);
  }

  nak(delayMs: number): Promise<void> {
    return this.#settle(delayMs, undefined);
  }

  deadLetter(info: DeadLetterInfo): Promise<void> {
    return this.#settle(undefined, info);
  }

  #settle(retryAfterMs: number | undefined, deadLetter: DeadLetterInfo | undefined): Promise<void> {
    if (!this.#settled) {
      this.#settled = true;
      this.#queue.settle(this.#message, retryAfterMs, deadLetter);
    }
    return SETTLED;
  }
}
