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

/**
 * Checks `labels` against `labelNames`. On the hot path (every label given,
 * nothing else) it checks the names in one walk, copying the values (the client
 * keeps the object of a new series, and a caller may reuse its own); only a
 * refused call pays for finding out what is wrong.
 */
export function checkLabels(labelNames: readonly string[], labels: unknown): LabelCheck {
  if (typeof labels !== 'object' || labels === null) {
    return { ok: false, problem: `expected an object of label values, got ${labels === null ? 'null' : typeof labels}` };
  }
  const given = labels as Record<string, unknown>;
  const checked: CheckedLabels = {};
  for (const name of labelNames) {
    const value = given[name];
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) checked[name] = value;
    else return refused(labelNames, given);
  }
  let count = 0;
  for (const name in given) if (Object.hasOwn(given, name)) count += 1;
  if (count !== labelNames.length) return refused(labelNames, given);
  return { ok: true, labels: checked, key: seriesKeyOf(labelNames, checked) };
}

/** Why `given` does not fit `labelNames` (it does not). */
function refused(labelNames: readonly string[], given: Record<string, unknown>): LabelCheck & { ok: false } {
  const unknown = Object.keys(given).find((name) => !labelNames.includes(name));
  if (unknown !== undefined) return { ok: false, problem: `unknown label "${unknown}" (labels: ${labelNames.join(', ')})` };
  const name = labelNames.find((candidate) => {
    const value = given[candidate];
    return !(typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)));
  });
  return { ok: false, problem: `label "${name}" must be a string or a finite number, got ${describe(name === undefined ? undefined : given[name])}` };
}

/** The key of the series `labels` picks: its values in `labelNames` order, as {@link checkLabels} makes it. */
export function seriesKeyOf(labelNames: readonly string[], labels: CheckedLabels): string {
  let key = '';
  for (let i = 0; i < labelNames.length; i += 1) key = i === 0 ? String(labels[labelNames[i]!]) : `${key}\u0000${labels[labelNames[i]!]}`;
  return key;
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
