/**
 * Tenant and user identity carried in the OpenTelemetry context as W3C
 * baggage entries `tenant.id` and `user.id`, so it follows async work inside
 * the process and crosses process boundaries through the `baggage` header.
 * Built on `@opentelemetry/api` only: without a registered context manager
 * `withTenant` still runs `fn`, but nothing is carried.
 */
import { context, propagation } from '@opentelemetry/api';
import type { Baggage, BaggageEntry, Context } from '@opentelemetry/api';
import { InvalidTenantError, TenantContextMissingError } from '../errors.ts';
import { TENANT_ID_KEY, USER_ID_KEY } from './keys.ts';
import { describeInvalidId } from './tenant-id-format.ts';

/** Who a unit of work is done for. */
export interface TenantContext {
  /** The tenant (customer, organisation, workspace) the work serves. */
  readonly tenantId: string;
  /** The user or actor inside that tenant, when there is one. */
  readonly userId?: string;
}

function validate(field: 'tenantId' | 'userId', value: unknown): void {
  const problem = describeInvalidId(value);
  if (problem !== undefined) {
    throw new InvalidTenantError(field, `Expected \`${field}\` to be ${problem}. Pass the id exactly as your service stores it.`);
  }
}

/**
 * Returns `ctx` with `tenant.id` (and `user.id`, or without it when
 * `tenant.userId` is absent) set in its baggage; other baggage entries are
 * kept. Throws {@link InvalidTenantError} when an id cannot travel in baggage.
 */
export function contextWithTenant(ctx: Context, tenant: TenantContext): Context {
  validate('tenantId', tenant.tenantId);
  if (tenant.userId !== undefined) validate('userId', tenant.userId);
  return contextWithCheckedTenant(ctx, tenant);
}

/**
 * {@link contextWithTenant} for ids the caller has already checked with
 * `isValidId` (the HTTP middleware checks each id as it reads it).
 */
export function contextWithCheckedTenant(ctx: Context, tenant: TenantContext): Context {
  const current = propagation.getBaggage(ctx);
  let baggage: Baggage;
  if (current === undefined) {
    const entries: Record<string, BaggageEntry> = { [TENANT_ID_KEY]: { value: tenant.tenantId } };
    if (tenant.userId !== undefined) entries[USER_ID_KEY] = { value: tenant.userId };
    baggage = propagation.createBaggage(entries);
  } else {
    baggage = current.setEntry(TENANT_ID_KEY, { value: tenant.tenantId });
    baggage = tenant.userId === undefined ? baggage.removeEntry(USER_ID_KEY) : baggage.setEntry(USER_ID_KEY, { value: tenant.userId });
  }
  return propagation.setBaggage(ctx, baggage);
}

/** The tenant in `ctx`'s baggage, or `undefined` when it carries no `tenant.id`. */
export function tenantFromContext(ctx: Context): TenantContext | undefined {
  const baggage = propagation.getBaggage(ctx);
  const tenantId = baggage?.getEntry(TENANT_ID_KEY)?.value;
  if (tenantId === undefined) return undefined;
  const userId = baggage?.getEntry(USER_ID_KEY)?.value;
  return userId === undefined ? { tenantId } : { tenantId, userId };
}

/**
 * Runs `fn` with `tenant` in the active context and returns what `fn`
 * returns (its promise, for an async `fn`). Everything `fn` starts, including
 * work after `await`, timers and `Promise.all` branches, sees the tenant.
 * A nested `withTenant` replaces the outer tenant and user for its own scope;
 * a nested call without `userId` drops the outer user.
 *
 * @throws {InvalidTenantError} before running `fn`, when an id is unusable.
 */
export function withTenant<T>(tenant: TenantContext, fn: () => T): T {
  return context.with(contextWithTenant(context.active(), tenant), fn);
}

/** The tenant of the active context, or `undefined` outside `withTenant`. */
export function tryGetTenantContext(): TenantContext | undefined {
  return tenantFromContext(context.active());
}

/**
 * The tenant of the active context.
 *
 * @throws {TenantContextMissingError} when the active context carries no tenant.
 */
export function getTenantContext(): TenantContext {
  const tenant = tryGetTenantContext();
  if (tenant === undefined) throw new TenantContextMissingError();
  return tenant;
}
