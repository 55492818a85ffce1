/**
 * An OpenTelemetry `Context` whose `setValue` adds one link to its parent
 * instead of copying every entry into a new map with three new closures, as
 * the API's `ROOT_CONTEXT` does. A request's context is set a handful of
 * times (the incoming trace, the server span, its metadata, the tenant, each
 * span below) and read far more often, through chains of that length.
 *
 * Contexts derived from {@link EMPTY_LINKED_CONTEXT} stay linked, whoever sets
 * them. A chain longer than {@link MAX_DEPTH} links is folded into one link
 * per key, so code that sets values in a loop cannot make reads slow.
 */
import type { Context } from '@opentelemetry/api';

const MAX_DEPTH = 32;

class LinkedContext implements Context {
  readonly #parent: LinkedContext | undefined;
  readonly #key: symbol | undefined;
  readonly #value: unknown;
  readonly #depth: number;

  constructor(parent: LinkedContext | undefined, key: symbol | undefined, value: unknown) {
    this.#parent = parent;
    this.#key = key;
    this.#value = value;
    this.#depth = parent === undefined ? 0 : parent.#depth + 1;
  }

  getValue(key: symbol): unknown {
    return LinkedContext.#find(this, key);
  }

  setValue(key: symbol, value: unknown): Context {
    return new LinkedContext(this.#depth < MAX_DEPTH ? this : LinkedContext.#fold(this), key, value);
  }

  deleteValue(key: symbol): Context {
    return this.setValue(key, undefined);
  }

  static #find(start: LinkedContext, key: symbol): unknown {
    for (let link: LinkedContext | undefined = start; link !== undefined; link = link.#parent) {
      if (link.#key === key) return link.#value;
    }
    return undefined;
  }

  /** The entries of `start`, one link per key that has a value. */
  static #fold(start: LinkedContext): LinkedContext {
    const entries = new Map<symbol, unknown>();
    for (let link: LinkedContext | undefined = start; link !== undefined; link = link.#parent) {
      if (link.#key !== undefined && !entries.has(link.#key)) entries.set(link.#key, link.#value);
    }
    let folded = EMPTY;
    for (const [key, value] of entries) if (value !== undefined) folded = new LinkedContext(folded, key, value);
    return folded;
  }
}

const EMPTY = new LinkedContext(undefined, undefined, undefined);

/** The empty linked context: what incoming requests start from. */
export const EMPTY_LINKED_CONTEXT: Context = EMPTY;
