/** Validation of the `name` every instrumentation takes (it becomes a label value). */
import { InvalidInstrumentationOptionError } from '../errors.ts';

const NAME = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * Returns `name` when it is 1 to 64 letters, digits, `_`, `.`, `:` or `-`
 * (a short, fixed identifier such as `payments`); throws otherwise, since a
 * name computed from request data would make the label unbounded.
 */
export function validateInstrumentationName(setting: string, name: unknown): string {
  if (typeof name === 'string' && NAME.test(name)) return name;
  throw new InvalidInstrumentationOptionError(setting, name, '1 to 64 letters, digits, "_", ".", ":" or "-"');
}
