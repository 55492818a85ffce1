/**
 * Every error class exported from the errors modules has its code in
 * docs/errors.md, on a row that names the class; the table names no code
 * that no class has (as Fastify checks its error codes against its docs).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import * as natsErrors from '../../sightline-nats/src/errors.ts';
import * as coreErrors from '../src/errors.ts';

const MODULES = [
  { file: new URL('../src/errors.ts', import.meta.url), exports: coreErrors as Record<string, unknown> },
  { file: new URL('../../sightline-nats/src/errors.ts', import.meta.url), exports: natsErrors as Record<string, unknown> },
];

interface ErrorClass {
  readonly name: string;
  readonly code: string;
}

/**
 * The error classes a module exports (subclasses of SightlineError), each
 * with the code its constructor passes to `super`, read from the source:
 * the constructors take different arguments, so they are not called here.
 */
async function errorClasses(file: URL, exports: Record<string, unknown>): Promise<ErrorClass[]> {
  const source = await readFile(file, 'utf8');
  const classes = Object.entries(exports).filter(
    ([, value]) => typeof value === 'function' && value.prototype instanceof coreErrors.SightlineError,
  );
  return classes.map(([name]) => {
    const start = source.indexOf(`export class ${name} extends SightlineError`);
    assert.ok(start >= 0, `${name} is declared in ${file.pathname}`);
    const next = source.indexOf('export class ', start + 1);
    const body = source.slice(start, next < 0 ? undefined : next);
    const codes = [...body.matchAll(/'(SIGHTLINE_[A-Z0-9_]+)'/g)].map((match) => match[1] as string);
    assert.equal(codes.length, 1, `${name} passes exactly one code to super()`);
    return { name, code: codes[0] as string };
  });
}

describe('error codes are documented in docs/errors.md', async () => {
  const guide = await readFile(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  const rows = guide.split('\n').filter((line) => /^\| `SIGHTLINE_/.test(line));
  const classes = (await Promise.all(MODULES.map(({ file, exports }) => errorClasses(file, exports)))).flat();

  it('finds the error classes of both modules', () => {
    assert.ok(classes.some((c) => c.name === 'InvalidConfigError'));
    assert.ok(classes.some((c) => c.name === 'NatsUnavailableError'));
    assert.equal(new Set(classes.map((c) => c.code)).size, classes.length, 'codes are unique');
  });

  for (const { name, code } of classes) {
    it(`${code} (${name}) has a row naming its class`, () => {
      const row = rows.find((line) => line.startsWith(`| \`${code}\` |`));
      assert.ok(row !== undefined, `add a row for ${code} to docs/errors.md`);
      assert.ok(row.includes(`| \`${name}\` |`), `the row of ${code} names ${name}`);
    });
  }

  it('lists no code that no class has', () => {
    const known = new Set(classes.map((c) => c.code));
    const documented = rows.map((line) => /^\| `([A-Z0-9_]+)`/.exec(line)?.[1]);
    assert.deepEqual(documented.filter((code) => code === undefined || !known.has(code)), []);
  });
});
