/**
 * The `key1=value1,key2=value2` lists of `OTEL_RESOURCE_ATTRIBUTES` and
 * `OTEL_EXPORTER_OTLP_*HEADERS` (W3C Baggage syntax without properties):
 * entries separated by commas, key and value by the first `=`, both trimmed,
 * values percent-decoded.
 */
import type { Candidate } from './env.ts';
import { reject } from './validate.ts';

/** How one list is checked. */
export interface KeyValueListRule {
  /** Returns true when `key` is acceptable. */
  readonly isValidKey: (key: string) => boolean;
  /** Whether values may hold secrets (headers): rejected values are then not echoed in errors. */
  readonly secret: boolean;
  /** What a key must look like, for the message. */
  readonly keyDescription: string;
}

const REDACTED = '[redacted]';

/** Parses a list from an environment variable; a later duplicate key wins. */
export function parseKeyValueList(candidate: Candidate, rule: KeyValueListRule): Record<string, string> {
  const result: Record<string, string> = {};
  const text = String(candidate.value);
  for (const [index, entry] of text.split(',').entries()) {
    if (entry.trim() === '') continue;
    const separator = entry.indexOf('=');
    const shown = rule.secret ? { ...candidate, value: REDACTED } : { ...candidate, value: entry.trim() };
    if (separator === -1) {
      return reject(shown, `a comma-separated list of key=value pairs (entry ${index + 1} has no '=')`);
    }
    const key = decode(entry.slice(0, separator).trim());
    const value = decode(entry.slice(separator + 1).trim());
    if (key === undefined || !rule.isValidKey(key)) {
      return reject(rule.secret ? { ...candidate, value: entry.slice(0, separator).trim() } : shown, `a comma-separated list of key=value pairs whose keys are ${rule.keyDescription}`);
    }
    if (value === undefined) {
      return reject(shown, `a comma-separated list of key=value pairs with percent-encoded values (the value of '${key}' has a malformed %-escape)`);
    }
    result[key] = value;
  }
  return result;
}

/** Checks a key/value object from an option: keys by `rule`, values strings; returns a copy. */
export function checkKeyValueObject(candidate: Candidate, rule: KeyValueListRule): Record<string, string> {
  const { value } = candidate;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject(rule.secret ? { ...candidate, value: REDACTED } : candidate, 'an object of string values');
  }
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (!rule.isValidKey(key)) return reject({ ...candidate, value: key }, `an object whose keys are ${rule.keyDescription}`);
    if (typeof entry !== 'string') {
      return reject({ ...candidate, setting: `${candidate.setting}.${key}`, value: rule.secret ? REDACTED : entry }, 'a string');
    }
    result[key] = entry;
  }
  return result;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
