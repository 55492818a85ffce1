/**
 * Bus-owned delivery inside one process. An event the bus published has
 * an envelope the bus itself built and checked; an in-process transport
 * (the memory transport) hands it back as a {@link LocalEnvelope} beside
 * the message, and the dispatcher reads it without encoding, decoding or
 * validating bytes per delivery. Bytes from anywhere else (another client,
 * a NATS subject, a test publishing raw bodies) still go through
 * `parseEnvelope` with every limit.
 *
 * Each handler run gets its own envelope, parsed from the JSON text the
 * publish produced: what a handler sees is exactly what it would see over
 * a broker, and no handler can change the producer's object or another
 * run's.
 */
import type { Context, SpanContext } from '@opentelemetry/api';
import type { EventEnvelope } from './envelope.ts';
import { textNestsDeeperThan } from './json-nesting.ts';
import { checkEnvelope, MAX_ENVELOPE_DEPTH } from './parse-envelope.ts';
import type { ParsedEnvelope } from './parse-envelope.ts';

/** A checked, bus-made envelope an in-process transport may carry beside the bytes; only the bus can make one. */
export class LocalEnvelope {
  readonly #json: string;
  readonly #producer: SpanContext | undefined;
  #context: Context | undefined;

  private constructor(json: string, producer: SpanContext | undefined) {
    this.#json = json;
    this.#producer = producer;
  }

  /**
   * The local form of `envelope` (whose JSON text is `json`), or
   * `undefined` when a consumer would refuse it (a bad id or tenant passed
   * to `publish`, data nested too deep): such an event travels as bytes
   * only, and the consumer refuses it with its reason as it would any other.
   */
  static of(envelope: EventEnvelope, json: string, headers: Readonly<Record<string, string>>): LocalEnvelope | undefined {
    if (textNestsDeeperThan(json, MAX_ENVELOPE_DEPTH)) return undefined;
    const checked = checkEnvelope(envelope as unknown as Record<string, unknown>, (name) => headers[name]);
    return checked.ok ? new LocalEnvelope(json, checked.value.producer) : undefined;
  }

  /** `local` when the bus made it, else `undefined`. */
  static from(local: unknown): LocalEnvelope | undefined {
    return typeof local === 'object' && local !== null && #json in local ? local : undefined;
  }

  /** The envelope for one handler run, a copy of its own, and the producer's span context. */
  copy(): ParsedEnvelope {
    return { envelope: JSON.parse(this.#json) as EventEnvelope, producer: this.#producer };
  }

  /**
   * The context every run of this event starts from (baggage, tenant),
   * made by `make` on the first run and shared by the others: a context is
   * immutable, and it depends only on what was published.
   */
  context(make: () => Context): Context {
    this.#context ??= make();
    return this.#context;
  }
}
