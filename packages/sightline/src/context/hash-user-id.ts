/**
 * Pseudonymous user ids for spans: the first 16 hex characters (64 bits) of
 * SHA-256 over the id, or of HMAC-SHA-256 keyed with a salt when one is
 * configured. The same id (and salt) always gives the same value, so one
 * user's spans can still be found together; with a secret salt the value
 * cannot be reversed by hashing a list of candidate ids.
 */
import { createHash, createHmac } from 'node:crypto';

/** Hex characters kept from the digest. */
export const USER_ID_HASH_LENGTH = 16;

/**
 * The pseudonym Sightline records on spans for `userId` when
 * `hashUserIds` is on. Use it to search traces for one user.
 */
export function hashUserId(userId: string, salt?: string): string {
  const hash = salt === undefined ? createHash('sha256') : createHmac('sha256', salt);
  return hash.update(userId, 'utf8').digest('hex').slice(0, USER_ID_HASH_LENGTH);
}
