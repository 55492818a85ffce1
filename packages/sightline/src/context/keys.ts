/**
 * The attribute and W3C baggage keys that carry tenant and user identity.
 * The same names are used on spans (`tenant.id`, `user.id`) and in baggage,
 * so a value read from an incoming `baggage` header lands on spans unchanged.
 */

/** Baggage entry and span attribute naming the tenant a unit of work serves. */
export const TENANT_ID_KEY = 'tenant.id';

/** Baggage entry and span attribute naming the user (or actor) a unit of work serves. */
export const USER_ID_KEY = 'user.id';
