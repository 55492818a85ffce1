/**
 * Reading configuration candidates: an option value, or a variable from the
 * environment. An empty (or all-blank) variable counts as unset, as the
 * OpenTelemetry specification requires.
 */
import type { ConfigSource } from '../../errors.ts';

/** The environment configuration is read from; `process.env` unless a test passes its own. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A value on its way to validation: which setting, where it came from, and the value as found. */
export interface Candidate {
  /** The setting as its option path, e.g. `traces.timeoutMillis`. */
  readonly setting: string;
  /** `'option'` or the environment variable's name. */
  readonly source: ConfigSource;
  /** The option value as passed, or the variable's trimmed text. */
  readonly value: unknown;
}

/** The trimmed value of an environment variable, or undefined when it is unset or blank. */
export function readEnv(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The first set value for `setting`: the option when it is not undefined,
 * else the first of `envNames` that is set (standard variables first, then
 * aliases), else undefined.
 */
export function firstSet(setting: string, option: unknown, env: Env, envNames: readonly string[] = []): Candidate | undefined {
  if (option !== undefined) return { setting, source: 'option', value: option };
  for (const name of envNames) {
    const value = readEnv(env, name);
    if (value !== undefined) return { setting, source: name, value };
  }
  return undefined;
}

/** Parses the first set candidate with `parse`, or returns `fallback` when none is set. */
export function resolveValue<T>(candidate: Candidate | undefined, parse: (candidate: Candidate) => T, fallback: T): T {
  return candidate === undefined ? fallback : parse(candidate);
}
