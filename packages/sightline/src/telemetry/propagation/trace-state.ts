/**
 * A W3C `tracestate` that is all or nothing, as Trace Context level 2
 * requires: a header with any list member that breaks the grammar (key
 * characters or length, value characters or length, more than 32 members)
 * is discarded whole rather than member by member, so a vendor's state is
 * never passed on half-parsed. Keys follow the level 2 grammar: a lower-case
 * letter or digit, then up to 255 of `a-z 0-9 _ - * / @`.
 */
import type { TraceState } from '@opentelemetry/api';

const MAX_MEMBERS = 32;
const KEY = /^[0-9a-z][_0-9a-z\-*/@]{0,255}$/;
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const MEMBER_SEPARATOR = /[ \t]*,[ \t]*/;

/**
 * Parses the `tracestate` header (several headers joined with `,`). Returns
 * undefined when the header is empty or violates the specification.
 */
export function parseTraceState(header: string): TraceState | undefined {
  const members = new Map<string, string>();
  for (const member of header.trim().split(MEMBER_SEPARATOR)) {
    if (member === '') continue;
    const equals = member.indexOf('=');
    const key = member.slice(0, equals);
    const value = member.slice(equals + 1);
    if (equals < 0 || !KEY.test(key) || !VALUE.test(value)) return undefined;
    if (!members.has(key)) members.set(key, value);
  }
  if (members.size === 0 || members.size > MAX_MEMBERS) return undefined;
  return new ListTraceState(members);
}

/** An immutable trace state over an ordered map, leftmost (most recent) member first. */
class ListTraceState implements TraceState {
  readonly #members: ReadonlyMap<string, string>;

  constructor(members: ReadonlyMap<string, string>) {
    this.#members = members;
  }

  set(key: string, value: string): TraceState {
    if (!KEY.test(key) || !VALUE.test(value)) return this;
    const members = new Map([[key, value]]);
    for (const [other, otherValue] of this.#members) {
      if (other !== key && members.size < MAX_MEMBERS) members.set(other, otherValue);
    }
    return new ListTraceState(members);
  }

  unset(key: string): TraceState {
    if (!this.#members.has(key)) return this;
    const members = new Map(this.#members);
    members.delete(key);
    return new ListTraceState(members);
  }

  get(key: string): string | undefined {
    return this.#members.get(key);
  }

  serialize(): string {
    return [...this.#members].map(([key, value]) => `${key}=${value}`).join(',');
  }
}
