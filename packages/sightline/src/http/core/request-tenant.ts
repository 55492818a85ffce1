/**
 * Puts the tenant (and user) of an incoming request into its context. The
 * configured source wins; when it yields nothing, a `tenant.id` that arrived
 * in the `baggage` header (from an upstream service) stays. Invalid ids are
 * ignored, counted in `sightline_http_invalid_ids_total` and logged to
 * `diag` (a few lines a minute at most); a failing source function is treated as yielding nothing.
 */
import type { Context } from '@opentelemetry/api';
import { contextWithCheckedTenant, tenantFromContext } from '../../context/tenant-context.ts';
import { describeInvalidId } from '../../context/tenant-id-format.ts';
import { boundedText } from '../../diagnostics/bounded-text.ts';
import { createThrottledWarning } from '../../diagnostics/throttled-warning.ts';
import type { CounterInstrument } from '../../metrics/instruments.ts';
import { readId } from './id-source.ts';
import type { IdSource, RequestIdInput } from './id-source.ts';

type IdField = 'tenant_id' | 'user_id';

/** Reads tenant and user ids of requests and puts them into their context. */
export class RequestTenantResolver<Req> {
  readonly #tenant: IdSource<Req> | undefined;
  readonly #user: IdSource<Req> | undefined;
  readonly #invalidIds: CounterInstrument<'field'>;
  readonly #warn = createThrottledWarning();

  constructor(tenant: IdSource<Req> | undefined, user: IdSource<Req> | undefined, invalidIds: CounterInstrument<'field'>) {
    this.#tenant = tenant;
    this.#user = user;
    this.#invalidIds = invalidIds;
  }

  /** `parent` with the request's tenant and user in its baggage, or `parent` itself when there is nothing to add. */
  contextFor(parent: Context, input: RequestIdInput<Req>): Context {
    const upstream = tenantFromContext(parent);
    const tenantId = this.#read('tenant_id', this.#tenant, input);
    const userId = this.#read('user_id', this.#user, input);
    if (tenantId !== undefined) {
      const sameTenant = upstream?.tenantId === tenantId;
      const user = userId ?? (sameTenant ? upstream.userId : undefined);
      return contextWithCheckedTenant(parent, user === undefined ? { tenantId } : { tenantId, userId: user });
    }
    if (upstream !== undefined && userId !== undefined) {
      return contextWithCheckedTenant(parent, { tenantId: upstream.tenantId, userId });
    }
    return parent;
  }

  #read(field: IdField, source: IdSource<Req> | undefined, input: RequestIdInput<Req>): string | undefined {
    if (source === undefined) return undefined;
    let value: unknown;
    try {
      value = readId(source, input);
    } catch (error) {
      this.#warn(`sightline: the ${field} source of the HTTP middleware threw; the request continues without it: ${boundedText(String(error))}`);
      this.#invalidIds.inc({ field });
      return undefined;
    }
    if (value === undefined || value === '') return undefined;
    const problem = describeInvalidId(value);
    if (problem === undefined) return value as string;
    this.#warn(`sightline: ignoring the ${field} of an HTTP request: expected ${boundedText(problem)}`);
    this.#invalidIds.inc({ field });
    return undefined;
  }
}
