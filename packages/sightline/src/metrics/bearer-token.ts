/**
 * Bearer-token protection of the metrics endpoint. Tokens are compared in
 * constant time: both sides are hashed to SHA-256 digests of equal length
 * and compared with `crypto.timingSafeEqual`, so neither the position of the
 * first wrong character nor the token's length leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidConfigError } from '../errors.ts';

/** Checks the `Authorization` header of a request. */
export type TokenCheck = (authorization: string | undefined) => boolean;

/** A check against `token`; throws {@link InvalidConfigError} when the token is not a non-empty string. */
export function bearerTokenCheck(token: string): TokenCheck {
  if (typeof token !== 'string' || token.trim() === '' || token !== token.trim()) {
    throw new InvalidConfigError({
      setting: 'bearerToken',
      source: 'option',
      value: typeof token === 'string' ? '[redacted]' : token,
      expected: 'a non-empty string without leading or trailing spaces',
      hint: 'Pass the token your scraper sends (Prometheus: authorization.credentials), or leave bearerToken unset.',
    });
  }
  const expected = digest(token);
  return (authorization) => {
    const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
    const given = match?.[1];
    return timingSafeEqual(digest(given ?? ''), expected) && given !== undefined;
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
