/**
 * Stamps `tenant.id` and `user.id` from the parent context's baggage onto
 * every span as it starts, including spans from auto-instrumentation that
 * know nothing about tenants. Implements the `SpanProcessor` interface of
 * `@opentelemetry/sdk-trace` 3.x (types only; the SDK itself is wired in by
 * telemetry setup).
 */
import { propagation } from '@opentelemetry/api';
import type { Baggage, Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { TENANT_ID_KEY, USER_ID_KEY } from './keys.ts';
import { hashUserId } from './hash-user-id.ts';
import { tenantFromContext } from './tenant-context.ts';
import type { TenantContext } from './tenant-context.ts';

/** Options of {@link TenantSpanProcessor}. */
export interface TenantSpanProcessorOptions {
  /**
   * Record `user.id` as {@link hashUserId}'s pseudonym instead of the raw id,
   * so raw user ids never leave the process in spans. Applies to ids from
   * baggage and to `user.id` attributes set on the span by any code.
   * Default `false`.
   */
  readonly hashUserIds?: boolean;
  /** Key for HMAC-SHA-256 when hashing; keep it secret and stable across deploys. */
  readonly userIdSalt?: string;
}

const MAX_CACHED_HASHES = 1024;

/**
 * A span processor that copies the tenant and user of the parent context
 * onto each span. An explicit `tenant.id`/`user.id` attribute given when the
 * span is started wins over the baggage value.
 */
export class TenantSpanProcessor implements SpanProcessor {
  readonly #hashUserIds: boolean;
  readonly #salt: string | undefined;
  readonly #hashes = new Map<string, string>();
  readonly #stamped = new WeakMap<Span, string>();
  #lastBaggage: Baggage | undefined;
  #lastTenant: TenantContext | undefined;

  constructor(options: TenantSpanProcessorOptions = {}) {
    this.#hashUserIds = options.hashUserIds ?? false;
    this.#salt = options.userIdSalt;
  }

  onStart(span: Span, parentContext: Context): void {
    const tenant = this.#tenantOf(parentContext);
    if (tenant !== undefined && span.attributes[TENANT_ID_KEY] === undefined) {
      span.setAttribute(TENANT_ID_KEY, tenant.tenantId);
    }
    const explicitUser = span.attributes[USER_ID_KEY];
    const userId = typeof explicitUser === 'string' ? explicitUser : tenant?.userId;
    if (userId === undefined) return;
    if (!this.#hashUserIds) {
      if (explicitUser === undefined) span.setAttribute(USER_ID_KEY, userId);
      return;
    }
    const hashed = this.#hash(userId);
    span.setAttribute(USER_ID_KEY, hashed);
    this.#stamped.set(span, hashed);
  }

  onEnding(span: Span): void {
    if (!this.#hashUserIds) return;
    const userId = span.attributes[USER_ID_KEY];
    if (typeof userId === 'string' && userId !== this.#stamped.get(span)) {
      span.setAttribute(USER_ID_KEY, this.#hash(userId));
    }
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * The tenant in `context`'s baggage. The answer for the last baggage is
   * kept: the spans of one request or `withTenant` scope share one baggage
   * object, and a baggage never changes (setting an entry makes a new one).
   */
  #tenantOf(context: Context): TenantContext | undefined {
    const baggage = propagation.getBaggage(context);
    if (baggage !== this.#lastBaggage) {
      this.#lastBaggage = baggage;
      this.#lastTenant = baggage === undefined ? undefined : tenantFromContext(context);
    }
    return this.#lastTenant;
  }

  #hash(userId: string): string {
    let hashed = this.#hashes.get(userId);
    if (hashed === undefined) {
      hashed = hashUserId(userId, this.#salt);
      if (this.#hashes.size >= MAX_CACHED_HASHES) this.#hashes.clear();
      this.#hashes.set(userId, hashed);
    }
    return hashed;
  }
}
