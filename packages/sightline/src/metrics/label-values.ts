/**
 * Checks label values as they arrive from callers at run time. TypeScript
 * callers are held to the declaration's label names by the compiler; a
 * JavaScript caller (or a cast) can still pass an unknown label, a missing
 * one or a value that is not a string or a number. Such a call is reported
 * and dropped instead of throwing into the application.
 */

/** Label values in declaration order, ready for the Prometheus client. */
export type CheckedLabels = Record<string, string | number>;

/** The checked labels and the key that identifies their series, or why they were refused. */
export type LabelCheck =
  | { readonly ok: true; readonly labels: CheckedLabels; readonly key: string }
  | { readonly ok: false; readonly problem: string };

/** Checks `labels` against `labelNames`. */
export function checkLabels(labelNames: readonly string[], labels: unknown): LabelCheck {
  if (typeof labels !== 'object' || labels === null) {
    return { ok: false, problem: `expected an object of label values, got ${labels === null ? 'null' : typeof labels}` };
  }
  const given = labels as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (!labelNames.includes(name)) return { ok: false, problem: `unknown label "${name}" (labels: ${labelNames.join(', ')})` };
  }
  const checked: CheckedLabels = {};
  const parts: string[] = [];
  for (const name of labelNames) {
    const value = given[name];
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
      checked[name] = value;
      parts.push(String(value));
    } else {
      return { ok: false, problem: `label "${name}" must be a string or a finite number, got ${describe(value)}` };
    }
  }
  return { ok: true, labels: checked, key: parts.join('\u0000') };
}

/** Every label of `labelNames` set to `value`: the overflow series. */
export function uniformLabels(labelNames: readonly string[], value: string): CheckedLabels {
  return Object.fromEntries(labelNames.map((name) => [name, value]));
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the label is missing)';
  if (typeof value === 'number') return String(value);
  return typeof value;
}
