/**
 * Rewrites the catalogue table in docs/metrics.md (between the
 * `<!-- catalogue:start -->` and `<!-- catalogue:end -->` markers) from the
 * catalogue. Run it after changing the catalogue: `npm run generate`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { catalogueTable } from '../packages/sightline/src/metrics/catalogue-table.ts';

const path = new URL('../docs/metrics.md', import.meta.url);
const doc = await readFile(path, 'utf8');
const updated = doc.replace(
  /(<!-- catalogue:start -->\n)[\s\S]*?(\n<!-- catalogue:end -->)/,
  (_match, start: string, end: string) => `${start}${catalogueTable()}${end}`,
);
await writeFile(path, updated);
