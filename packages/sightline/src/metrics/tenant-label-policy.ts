/**
 * Which tenants get their own value of the `tenant_id` label on HTTP and
 * messaging metrics. Tenant ids are unbounded, so by default the label is
 * empty (Prometheus treats it as absent); a policy lets a fixed list of
 * tenants, or the K busiest, through and folds every other tenant into
 * {@link OTHER_TENANT}. The HTTP middleware and the event bus call
 * `labelFor` for each request or message.
 */
import { InvalidConfigError } from '../errors.ts';
import { HeavyHitters } from './heavy-hitters.ts';
import { OVERFLOW_LABEL_VALUE } from './series-guard.ts';

/** The `tenant_id` value of every tenant the policy does not name. */
export const OTHER_TENANT = 'other';

/**
 * The label value of a tenant the policy lets through: its id, except that a
 * tenant whose id is a marker value (`other`, `__overflow__`) is written
 * `#other`, `#__overflow__`. Tenant ids cannot contain `#`, so the marker
 * series and a real tenant's series never share a value.
 */
export function tenantLabelValue(tenantId: string): string {
  return tenantId === OTHER_TENANT || tenantId === OVERFLOW_LABEL_VALUE ? `#${tenantId}` : tenantId;
}

/** Maps a tenant id to its `tenant_id` label value. */
export interface TenantLabelPolicy {
  /** `off`, `allowList` or `topK`: what the policy is, for docs and diagnostics. */
  readonly kind: 'off' | 'allowList' | 'topK';
  /**
   * The label value for a request or message of `tenantId`: `''` when there
   * is no tenant (or the policy is off), the id itself when the policy lets
   * it through ({@link tenantLabelValue}: `#` before an id equal to a marker),
   * {@link OTHER_TENANT} otherwise.
   */
  labelFor(tenantId: string | undefined): string;
}

const off: TenantLabelPolicy = Object.freeze({ kind: 'off', labelFor: () => '' });

/** No tenant label: every value is `''`. The default. */
function offPolicy(): TenantLabelPolicy {
  return off;
}

/** Only the listed tenants get their own label value; all others are `other`. */
function allowList(tenantIds: readonly string[]): TenantLabelPolicy {
  if (!Array.isArray(tenantIds) || tenantIds.some((id) => typeof id !== 'string' || id === '')) {
    throw new InvalidConfigError({
      setting: 'tenantLabelPolicy.allowList',
      source: 'option',
      value: tenantIds,
      expected: 'an array of non-empty tenant id strings',
    });
  }
  const allowed = new Set(tenantIds);
  return Object.freeze({
    kind: 'allowList',
    labelFor: (tenantId: string | undefined) => {
      if (tenantId === undefined || tenantId === '') return '';
      return allowed.has(tenantId) ? tenantLabelValue(tenantId) : OTHER_TENANT;
    },
  });
}

/** How many tenants a top-K policy monitors per tenant it labels. */
const MONITORED_PER_LABELLED = 10;

/**
 * The `k` tenants with the most traffic get their own label value; all
 * others are `other`. Traffic is counted with the Space-Saving algorithm
 * over at most `10 × k` tenants (never fewer than 100), so memory is bounded
 * however many tenants there are. The labelled set is recomputed every `k`
 * calls from the tenants whose guaranteed count is above the counter's noise
 * floor, so a stream of one-off tenants never gets labels and a busy tenant
 * is labelled within a few calls. A tenant that drops out of the top K is
 * `other` from then on (its earlier series stay, bounded by the series cap).
 */
function topK(k: number): TenantLabelPolicy {
  if (!Number.isSafeInteger(k) || k < 1) {
    throw new InvalidConfigError({
      setting: 'tenantLabelPolicy.topK',
      source: 'option',
      value: k,
      expected: 'an integer of at least 1',
    });
  }
  const counts = new HeavyHitters(Math.max(100, k * MONITORED_PER_LABELLED));
  let labelled = new Set<string>();
  let sinceRefresh = 0;
  return Object.freeze({
    kind: 'topK',
    labelFor: (tenantId: string | undefined) => {
      if (tenantId === undefined || tenantId === '') return '';
      counts.add(tenantId);
      sinceRefresh += 1;
      if (sinceRefresh >= k) {
        labelled = counts.top(k);
        sinceRefresh = 0;
      }
      return labelled.has(tenantId) ? tenantLabelValue(tenantId) : OTHER_TENANT;
    },
  });
}

/** The tenant-label policies: `tenantLabels.off()`, `tenantLabels.allowList([...])`, `tenantLabels.topK(k)`. */
export const tenantLabels = Object.freeze({ off: offPolicy, allowList, topK });
