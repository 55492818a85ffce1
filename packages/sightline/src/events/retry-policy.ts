/** How long to wait before redelivering an event whose handler failed. */
import { InvalidEventOptionError } from '../errors.ts';

/** Exponential backoff between handler runs. */
export interface RetryOptions {
  /** Delay before the second run. Default 100 ms. */
  readonly initialDelayMs?: number;
  /** The delay never exceeds this. Default 30 000 ms. */
  readonly maxDelayMs?: number;
  /** Each further delay is the previous one times this. Default 2. */
  readonly multiplier?: number;
  /**
   * Randomise each delay between half and all of its value, so failures
   * that happened together are not retried together. Default `true`.
   */
  readonly jitter?: boolean;
}

/** A resolved retry policy: the delay after run number `attempt` failed. */
export type BackoffPolicy = (attempt: number) => number;

function nonNegative(option: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new InvalidEventOptionError(option, `Expected \`retry.${option}\` to be a non-negative number of milliseconds, got ${value}.`);
  }
  return value;
}

/** Validates `options` and returns the backoff function. */
export function createBackoff(options: RetryOptions = {}): BackoffPolicy {
  const initial = nonNegative('initialDelayMs', options.initialDelayMs ?? 100);
  const max = nonNegative('maxDelayMs', options.maxDelayMs ?? 30_000);
  const multiplier = options.multiplier ?? 2;
  if (!Number.isFinite(multiplier) || multiplier < 1) {
    throw new InvalidEventOptionError('multiplier', `Expected \`retry.multiplier\` to be at least 1, got ${multiplier}.`);
  }
  const jitter = options.jitter ?? true;
  return (attempt) => {
    const delay = Math.min(max, initial * multiplier ** Math.max(0, attempt - 1));
    return Math.round(jitter ? delay / 2 + (Math.random() * delay) / 2 : delay);
  };
}
