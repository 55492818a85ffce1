/**
 * Type tests, checked by `tsc -p tsconfig.json` (part of scripts/test.sh):
 * every `@ts-expect-error` line must fail to compile, every other line must
 * compile. The runtime test only makes the file a test module.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Span } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_PORT } from '@opentelemetry/semantic-conventions';
import { measure, spanAttributes, traced, withDbSpan, withEventSpan, withSpan, withTenant } from 'sightline';
import type { TenantContext } from 'sightline';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | undefined {
  return undefined;
}
/** `exactly<Expected>()(value)` compiles only when `value`'s type is exactly `Expected`. */
function exactly<Expected>() {
  return <Actual>(_value: Actual, ..._proof: Equal<Actual, Expected> extends true ? [] : ['type mismatch']): void => undefined;
}

function typeChecks(): void {
  // traced keeps parameters, `this` and return types.
  const add = traced(function add(a: number, b: number): number {
    return a + b;
  });
  expectType<Equal<typeof add, (this: unknown, a: number, b: number) => number>>();
  // @ts-expect-error wrong argument type
  add('1', 2);
  // @ts-expect-error missing argument
  add(1);

  const load = traced(async function load(id: string): Promise<{ id: string }> {
    await Promise.resolve();
    return { id };
  });
  exactly<Promise<{ id: string }>>()(load('a'));

  interface Repo {
    prefix: string;
  }
  const describeRepo = traced(function describeRepo(this: Repo, n: number): string {
    return this.prefix + String(n);
  });
  const repo = { prefix: 'r', describeRepo };
  exactly<string>()(repo.describeRepo(1));
  // @ts-expect-error `this` must be a Repo
  describeRepo.call({ other: 1 }, 1);

  // withSpan keeps sync values sync and async values as promises.
  expectType<Equal<ReturnType<typeof withSpan<number>>, number>>();
  const syncValue = withSpan('s', (_span: Span) => 'x');
  exactly<string>()(syncValue);
  const asyncValue = withSpan('a', { attributes: { k: 1 } }, () => Promise.resolve(1));
  exactly<Promise<number>>()(asyncValue);
  const dbValue = withDbSpan({ system: 'postgresql', operation: 'SELECT' }, () => Promise.resolve([1]));
  exactly<Promise<number[]>>()(dbValue);
  const measured = measure('m', () => true);
  exactly<boolean>()(measured);
  // @ts-expect-error unknown messaging operation
  withEventSpan({ system: 'memory', destination: 'd', operation: 'consume' }, () => 1);

  // The attribute builder checks value types of known keys.
  spanAttributes().set(ATTR_HTTP_REQUEST_METHOD, 'GET').set(ATTR_HTTP_RESPONSE_STATUS_CODE, 200).set('custom.any', [1, 2]);
  // @ts-expect-error status code must be a number
  spanAttributes().set(ATTR_HTTP_RESPONSE_STATUS_CODE, '200');
  // @ts-expect-error server.port must be a number
  spanAttributes().set(ATTR_SERVER_PORT, '8080');
  // @ts-expect-error app.module must be a string
  spanAttributes().set('app.module', 3);
  // @ts-expect-error module() takes a string
  spanAttributes().module(1);

  // Tenant context is read-only and needs a tenantId.
  const tenant: TenantContext = { tenantId: 't' };
  // @ts-expect-error tenantId is readonly
  tenant.tenantId = 'other';
  // @ts-expect-error tenantId is required
  withTenant({ userId: 'u' }, () => 1);
  const inTenant = withTenant(tenant, () => Promise.resolve('v'));
  exactly<Promise<string>>()(inTenant);
  // @ts-expect-error a mismatch is caught by the helper itself
  exactly<string>()(inTenant);
}

void it('type checks compile (see tsc)', () => {
  assert.equal(typeof typeChecks, 'function');
});
