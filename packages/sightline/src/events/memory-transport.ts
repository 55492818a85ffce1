/**
 * The in-process transport, the bus's default. Each subscription (event
 * type and consumer group) has a bounded queue and `concurrency` workers.
 * Nothing is persisted: events still queued when the process exits are
 * gone, and an event published while no group subscribes to its type is
 * delivered to no one. Use `sightline-nats` when events must survive a
 * restart or cross processes.
 */
import { diag } from '@opentelemetry/api';
import { EventQueueFullError, InvalidEventOptionError } from '../errors.ts';
import type { MessageHeaders } from './parse-envelope.ts';
import type {
  DeadLetterInfo,
  Delivery,
  EventTransport,
  OutgoingMessage,
  SubscriptionSpec,
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
  });
}

/** Creates an in-memory transport. See {@link MemoryTransportOptions}. */
export function memoryTransport(options: MemoryTransportOptions = {}): MemoryTransport {
  const config = resolveOptions(options);
  const queues = new Map<string, Set<MemoryQueue>>();
  const deadLetters: MemoryDeadLetter[] = [];

  const keep = (letter: MemoryDeadLetter): void => {
    deadLetters.push(letter);
    if (deadLetters.length > config.deadLetterLimit) {
      deadLetters.shift();
      diag.warn(`sightline: memory transport dropped its oldest dead letter (limit ${config.deadLetterLimit})`);
    }
  };

  const queuesFor = (type: string): MemoryQueue[] => [...(queues.get(type) ?? [])];

  return {
    system: 'sightline_memory',

    async publish(message: OutgoingMessage): Promise<void> {
      let targets = queuesFor(message.type);
      for (;;) {
        const full = targets.find((queue) => queue.isFull());
        if (full === undefined) break;
        if (config.onFull === 'reject') throw new EventQueueFullError(message.type, full.spec.group, config.capacity);
        await full.waitForRoom();
        targets = queuesFor(message.type);
      }
      const headers: MessageHeaders = new Map(Object.entries(message.headers).map(([name, value]) => [name.toLowerCase(), value]));
      for (const queue of targets) queue.enqueue({ body: message.body, headers, attempt: 1 });
    },

    subscribe(spec: SubscriptionSpec, deliver: (delivery: Delivery) => Promise<void>): Promise<TransportSubscription> {
      const queue = new MemoryQueue(spec, config, deliver, keep);
      const set = queues.get(spec.type) ?? new Set();
      set.add(queue);
      queues.set(spec.type, set);
      let closing: Promise<void> | undefined;
      return Promise.resolve({
        backlog: () => Promise.resolve(queue.backlog()),
        close: () => {
          closing ??= (() => {
            set.delete(queue);
            if (set.size === 0) queues.delete(spec.type);
            return queue.drain();
          })();
          return closing;
        },
      });
    },

    close: () => Promise.resolve(),

    deadLetters: () => [...deadLetters],
  };
}

interface QueuedMessage {
  readonly body: Uint8Array;
  readonly headers: MessageHeaders;
  readonly attempt: number;
}

class MemoryQueue {
  readonly spec: SubscriptionSpec;
  readonly #config: ResolvedMemoryOptions;
  readonly #deliver: (delivery: Delivery) => Promise<void>;
  readonly #keep: (letter: MemoryDeadLetter) => void;
  readonly #items: QueuedMessage[] = [];
  readonly #timers = new Map<NodeJS.Timeout, QueuedMessage>();
  #inFlight = 0;
  #roomWaiters: (() => void)[] = [];
  #drainWaiters: (() => void)[] = [];

  constructor(
    spec: SubscriptionSpec,
    config: ResolvedMemoryOptions,
    deliver: (delivery: Delivery) => Promise<void>,
    keep: (letter: MemoryDeadLetter) => void,
  ) {
    this.spec = spec;
    this.#config = config;
    this.#deliver = deliver;
    this.#keep = keep;
  }

  isFull(): boolean {
    return this.#items.length >= this.#config.capacity;
  }

  backlog(): number {
    return this.#items.length + this.#inFlight + this.#timers.size;
  }

  waitForRoom(): Promise<void> {
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  enqueue(message: QueuedMessage): void {
    this.#items.push(message);
    this.#pump();
  }

  /** Resolves when nothing is queued, running or waiting to be retried, or after the drain timeout. */
  drain(): Promise<void> {
    if (this.backlog() === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#abandon();
        resolve();
      }, this.#config.drainTimeoutMs);
      this.#drainWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  #pump(): void {
    while (this.#inFlight < this.spec.concurrency && this.#items.length > 0) {
      const message = this.#items.shift()!;
      this.#inFlight += 1;
      this.#wakeRoomWaiters();
      void this.#run(message).finally(() => {
        this.#inFlight -= 1;
        this.#pump();
        this.#checkDrained();
      });
    }
  }

  async #run(message: QueuedMessage): Promise<void> {
    const delivery: Delivery = {
      body: message.body,
      headers: message.headers,
      attempt: message.attempt,
      ack: () => Promise.resolve(),
      retry: (delayMs) => {
        const next = { ...message, attempt: message.attempt + 1 };
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          this.enqueue(next);
        }, delayMs);
        this.#timers.set(timer, next);
        return Promise.resolve();
      },
      deadLetter: (info) => {
        this.#deadLetter(message, info);
        return Promise.resolve();
      },
    };
    try {
      await this.#deliver(delivery);
    } catch (error) {
      diag.error('sightline: memory transport delivery failed unexpectedly', error);
    }
  }

  #deadLetter(message: QueuedMessage, info: DeadLetterInfo): void {
    this.#keep({
      destination: this.spec.deadLetter,
      type: this.spec.type,
      group: this.spec.group,
      body: message.body,
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
    this.#drainWaiters = [];
  }

  #wakeRoomWaiters(): void {
    const waiters = this.#roomWaiters;
    this.#roomWaiters = [];
    for (const wake of waiters) wake();
  }

  #checkDrained(): void {
    if (this.backlog() !== 0) return;
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const done of waiters) done();
  }
}
