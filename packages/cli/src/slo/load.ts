import { readFile } from 'node:fs/promises';
import { SloFileError } from 'sightline/errors';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { sloFileSchema } from './schema.ts';
import type { SloFile } from './schema.ts';

/**
 * Parses and validates the text of an SLO file. Throws {@link SloFileError}
 * listing every problem with the field's path and the value found.
 */
export function parseSloFile(text: string, file = '<slo>'): SloFile {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new SloFileError(file, [`is not valid YAML: ${error instanceof Error ? error.message : String(error)}`], {
      cause: error,
    });
  }
  const result = sloFileSchema.safeParse(data, { reportInput: true });
  if (!result.success) throw new SloFileError(file, result.error.issues.map(describeIssue));
  return result.data;
}

/** Reads and validates an SLO file. */
export async function loadSloFile(file: string): Promise<SloFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new SloFileError(file, [`cannot be read: ${error instanceof Error ? error.message : String(error)}`], { cause: error });
  }
  return parseSloFile(text, file);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`),
    '',
  );
  const value = 'input' in issue && issue.input !== undefined ? ` (got ${JSON.stringify(issue.input)})` : '';
  return `${path === '' ? 'the file' : path} ${issue.message}${value}`;
}
