/**
 * How event types, consumer groups and dead-letter destinations map to
 * NATS subjects and consumer names.
 */
import { InvalidEventOptionError } from 'sightline';

const SUBJECT_TOKENS = /^[^\s*>.]+(\.[^\s*>.]+)*$/;

/** Checks that `value` is a dot-separated list of tokens without wildcards or spaces. */
export function subjectTokens(option: string, value: string): string {
  if (!SUBJECT_TOKENS.test(value)) {
    throw new InvalidEventOptionError(
      option,
      `Expected \`${option}\` to be usable in a NATS subject (dot-separated tokens, no spaces, no * or >), got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** A durable consumer name for a group and type: characters NATS refuses in names become `_`. */
export function consumerName(group: string, type: string): string {
  return `${group}__${type}`.replace(/[^A-Za-z0-9_-]/g, '_');
}
