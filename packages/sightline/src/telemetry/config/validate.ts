/**
 * Validators for configuration candidates. Each accepts the typed value when
 * it comes from an option and the text when it comes from an environment
 * variable, and throws {@link InvalidConfigError} naming the setting, the
 * value, its source and what is accepted.
 */
import { InvalidConfigError } from '../../errors.ts';
import type { Candidate } from './env.ts';

/** Throws the {@link InvalidConfigError} for `candidate`, saying it should have been `expected`. */
export function reject(candidate: Candidate, expected: string, hint?: string): never {
  throw new InvalidConfigError({ ...candidate, expected, hint });
}

function fromEnv(candidate: Candidate): string | undefined {
  return candidate.source === 'option' ? undefined : String(candidate.value);
}

/** `true`/`false`: a boolean option, or the text `true`/`false` in any letter case. */
export function asBoolean(candidate: Candidate): boolean {
  const text = fromEnv(candidate);
  if (text === undefined) {
    if (typeof candidate.value === 'boolean') return candidate.value;
    return reject(candidate, 'true or false');
  }
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return reject(candidate, "'true' or 'false'");
}

/** Bounds and wording for {@link asInteger}. */
export interface IntegerRule {
  readonly min: number;
  readonly max?: number;
  /** What the number counts, for the message: `milliseconds`, `spans`. */
  readonly unit?: string;
}

const DIGITS = /^\d+$/;

/** A whole number within `rule.min..rule.max`; environment text must be plain decimal digits. */
export function asInteger(candidate: Candidate, rule: IntegerRule): number {
  const text = fromEnv(candidate);
  const value = text === undefined ? candidate.value : DIGITS.test(text) ? Number(text) : Number.NaN;
  const ok = typeof value === 'number' && Number.isSafeInteger(value) && value >= rule.min && value <= (rule.max ?? Number.MAX_SAFE_INTEGER);
  if (ok) return value;
  const unit = rule.unit === undefined ? '' : ` of ${rule.unit}`;
  const range = rule.max === undefined ? (rule.min === 0 ? ' (0 or more)' : ` of at least ${rule.min}`) : ` between ${rule.min} and ${rule.max}`;
  return reject(candidate, `a whole number${unit}${range}`);
}

/** A positive whole number of milliseconds. */
export function asMillis(candidate: Candidate): number {
  return asInteger(candidate, { min: 1, unit: 'milliseconds' });
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A number between 0 and 1 inclusive; environment text must be a decimal number. */
export function asRatio(candidate: Candidate): number {
  const text = fromEnv(candidate);
  const value = text === undefined ? candidate.value : DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (typeof value === 'number' && value >= 0 && value <= 1) return value;
  return reject(candidate, 'a number between 0 and 1');
}

/** One of `allowed`; environment text is matched in any letter case, as the OpenTelemetry specification asks. */
export function asEnum<const T extends string>(candidate: Candidate, allowed: readonly T[], hint?: string): T {
  const text = fromEnv(candidate);
  const value = text === undefined ? candidate.value : text.toLowerCase();
  const match = allowed.find((entry) => entry === value);
  if (match !== undefined) return match;
  return reject(candidate, `one of ${allowed.join(', ')}`, hint);
}

/**
 * One or more of `allowed`: an option holding one value or an array of them,
 * or comma-separated environment text (any letter case). Duplicates are
 * dropped and the order kept; an empty list is rejected.
 */
export function asEnumList<const T extends string>(candidate: Candidate, allowed: readonly T[]): T[] {
  const text = fromEnv(candidate);
  const entries: readonly unknown[] =
    text !== undefined ? text.split(',').map((entry) => entry.trim().toLowerCase()) : Array.isArray(candidate.value) ? candidate.value : [candidate.value];
  const list: T[] = [];
  for (const entry of entries) {
    const match = allowed.find((name) => name === entry);
    if (match === undefined) return reject(candidate, `one of ${allowed.join(', ')}, or a list of them`);
    if (!list.includes(match)) list.push(match);
  }
  if (list.length === 0) return reject(candidate, `one of ${allowed.join(', ')}, or a list of them`);
  return list;
}

/** A string that is not blank. */
export function asNonEmptyString(candidate: Candidate): string {
  const { value } = candidate;
  if (typeof value === 'string' && value.trim() !== '') return value;
  return reject(candidate, 'a non-empty string');
}

/** An absolute `http:` or `https:` URL, returned as given. */
export function asHttpUrl(candidate: Candidate): string {
  const { value } = candidate;
  if (typeof value === 'string') {
    const url = URL.parse(value.trim());
    if (url !== null && (url.protocol === 'http:' || url.protocol === 'https:')) return value.trim();
  }
  return reject(candidate, 'an absolute http:// or https:// URL');
}

/** An array of non-empty strings, copied. */
export function asStringList(candidate: Candidate): string[] {
  const { value } = candidate;
  if (Array.isArray(value) && value.every((entry) => typeof entry === 'string' && entry.trim() !== '')) return [...(value as string[])];
  return reject(candidate, 'an array of non-empty strings');
}

/** A plain object (not null, not an array); its own entries are returned. */
export function asPlainObject(candidate: Candidate): Record<string, unknown> {
  const { value } = candidate;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RegExp)) return { ...(value as Record<string, unknown>) };
  return reject(candidate, 'an object');
}

/** The entries of an option group such as `traces` or `batch`: `{}` when it is unset, rejected when it is not an object. */
export function optionGroup(value: unknown, setting: string): Record<string, unknown> {
  return value === undefined ? {} : asPlainObject({ setting, source: 'option', value });
}

/** A URL path: starts with `/`, no query string or fragment. */
export function asUrlPath(candidate: Candidate): string {
  const { value } = candidate;
  if (typeof value === 'string' && value.startsWith('/') && !/[?#\s]/.test(value)) return value;
  return reject(candidate, 'a path starting with / without a query, fragment or spaces');
}

/**
 * A credential such as a bearer token: a non-empty string without
 * whitespace. A rejected string is reported as `'[redacted]'`, never
 * repeated.
 */
export function asSecretToken(candidate: Candidate): string {
  const { value } = candidate;
  if (typeof value === 'string' && value !== '' && !/\s/.test(value)) return value;
  return reject(
    { ...candidate, value: typeof value === 'string' ? '[redacted]' : value },
    'a non-empty token without spaces',
    'Use the token your scraper sends (Prometheus: authorization.credentials), or leave it unset.',
  );
}
