/**
 * A W3C baggage propagator restricted to an allow-list of keys. Baggage is
 * forwarded to every downstream service, so only entries a service means to
 * share (by default `tenant.id` and `user.id`) are read from incoming
 * `baggage` headers and written to outgoing ones; everything else stays in
 * the process (outgoing) or is ignored (incoming).
 */
import { propagation, trace } from '@opentelemetry/api';
import type { Baggage, Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { createThrottledWarning } from '../../diagnostics/throttled-warning.ts';
import { TENANT_ID_KEY, USER_ID_KEY } from '../../context/keys.ts';
import { isValidId } from '../../context/tenant-id-format.ts';
import { createMemoizedW3CBaggagePropagator } from './w3c-baggage-memo.ts';

/** The baggage keys propagated when no allow-list is given: `tenant.id` and `user.id`. */
export const DEFAULT_BAGGAGE_KEYS: readonly string[] = Object.freeze([TENANT_ID_KEY, USER_ID_KEY]);

/** Options of {@link createBaggagePropagator}. */
export interface BaggagePropagatorOptions {
  /** Baggage keys that may be extracted and injected. Defaults to {@link DEFAULT_BAGGAGE_KEYS}. */
  readonly allowedKeys?: readonly string[];
}

const ID_KEYS: ReadonlySet<string> = new Set([TENANT_ID_KEY, USER_ID_KEY]);

/**
 * Creates a propagator that behaves like `W3CBaggagePropagator` for the
 * allowed keys only (see {@link restrictBaggage}).
 */
export function createBaggagePropagator(options: BaggagePropagatorOptions = {}): TextMapPropagator {
  return restrictBaggage(createMemoizedW3CBaggagePropagator(), options);
}

/**
 * Wraps a propagator that carries baggage (W3C `baggage`, Jaeger's
 * `uberctx-*`) so that only the allowed keys travel. On inject the others
 * stay in the process. On extract it also drops a `tenant.id` or `user.id`
 * whose value is not a valid id (see `withTenant`), logging the reason to
 * `diag` (a few lines a minute at most), so a malformed header never reaches
 * spans. Extract replaces the context's baggage with the allowed incoming
 * entries, as the W3C propagator does; a carrier with no allowed entry leaves
 * the baggage as it was. Whatever else `inner` extracts (a span context) is kept.
 */
export function restrictBaggage(inner: TextMapPropagator, options: BaggagePropagatorOptions = {}): TextMapPropagator {
  const allowed: ReadonlySet<string> = new Set(options.allowedKeys ?? DEFAULT_BAGGAGE_KEYS);
  const warn = createThrottledWarning();

  // Baggage is immutable, so the allowed part of the last baggage injected is kept for the next inject of the same one.
  let lastInjected: Baggage | undefined;
  let lastAllowed: Baggage | undefined;
  const allowedPart = (baggage: Baggage): Baggage | undefined => {
    if (baggage !== lastInjected) {
      const entries = baggage.getAllEntries().filter(([key]) => allowed.has(key));
      lastAllowed = entries.length === 0 ? undefined : propagation.createBaggage(Object.fromEntries(entries));
      lastInjected = baggage;
    }
    return lastAllowed;
  };

  // Likewise the allowed, valid part of the last incoming baggage (a memoized inner propagator hands the same one again).
  let lastIncoming: Baggage | undefined;
  let lastKept: Baggage | undefined;
  const keptPart = (incoming: Baggage): Baggage | undefined => {
    if (incoming !== lastIncoming) {
      const entries = incoming.getAllEntries().filter(([key, entry]) => {
        if (!allowed.has(key)) return false;
        if (ID_KEYS.has(key) && !isValidId(entry.value)) {
          warn(`sightline: ignoring incoming baggage entry ${key}: not a valid id (${entry.value.length} characters)`);
          return false;
        }
        return true;
      });
      lastKept = entries.length === 0 ? undefined : propagation.createBaggage(Object.fromEntries(entries));
      lastIncoming = incoming;
    }
    return lastKept;
  };

  return {
    inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
      const baggage = propagation.getBaggage(ctx);
      if (baggage === undefined) {
        inner.inject(ctx, carrier, setter);
        return;
      }
      const restricted = allowedPart(baggage);
      inner.inject(restricted === undefined ? propagation.deleteBaggage(ctx) : propagation.setBaggage(ctx, restricted), carrier, setter);
    },

    extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
      const extracted = inner.extract(ctx, carrier, getter);
      const before = propagation.getBaggage(ctx);
      const incoming = propagation.getBaggage(extracted);
      if (incoming === undefined || incoming === before) return extracted;
      const kept = keptPart(incoming);
      if (kept !== undefined) return propagation.setBaggage(extracted, kept);
      if (trace.getSpanContext(extracted) === trace.getSpanContext(ctx)) return ctx;
      return before === undefined ? propagation.deleteBaggage(extracted) : propagation.setBaggage(extracted, before);
    },

    fields(): string[] {
      return inner.fields();
    },
  };
}
