/**
 * Optional payload validation with any Standard Schema validator (zod 4,
 * valibot, arktype, ...). The handler receives the validator's output.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';

/** The outcome of {@link validatePayload}. */
export type PayloadResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly detail: string };

/** Validates `data` with `schema`; the detail lists each issue with its path. */
export async function validatePayload<T>(schema: StandardSchemaV1<unknown, T>, data: unknown): Promise<PayloadResult<T>> {
  let result = schema['~standard'].validate(data);
  if (result instanceof Promise) result = await result;
  if (result.issues === undefined) return { ok: true, value: result.value };
  const detail = result.issues
    .map((issue) => {
      const path = (issue.path ?? []).map((segment) => (typeof segment === 'object' ? segment.key : segment)).join('.');
      return path === '' ? issue.message : `${path}: ${issue.message}`;
    })
    .join('; ');
  return { ok: false, detail: `data failed validation: ${detail}` };
}
