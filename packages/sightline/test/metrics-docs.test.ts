import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { catalogueTable } from '../src/metrics/catalogue-table.ts';

describe('docs/metrics.md', () => {
  it('shows the catalogue table exactly as catalogueTable() generates it', async () => {
    const doc = await readFile(new URL('../../../docs/metrics.md', import.meta.url), 'utf8');
    const match = /<!-- catalogue:start -->\n([\s\S]*?)\n<!-- catalogue:end -->/.exec(doc);
    assert.ok(match, 'docs/metrics.md has the catalogue markers');
    assert.equal(match[1], catalogueTable(), 'docs/metrics.md is out of date: run `npm run generate`');
  });
});
