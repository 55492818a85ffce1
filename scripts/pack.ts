/**
 * Packs the three published packages (sightline, sightline-nats,
 * sightline-cli) the way they are published: `npm run pack [-- out-dir]`
 * (default dist/packages) prints the tarball paths, one a line.
 *
 * In the repository each package.json points its `source` export condition
 * at the TypeScript sources, so the tests and tools run them with
 * `--conditions=source`. What consumers resolve must not have it: their own
 * `--conditions=source` (or TypeScript `customConditions`) would pick files
 * that are not shipped (`files` leaves `src/` out). So the packages are built
 * (tsc -b), then each is staged in a temporary folder with what its `files`
 * lists, its README.md, the repository's LICENSE, and a package.json without
 * the `source` condition, scripts and dev dependencies; the stage is what
 * `npm pack` packs. The package folders themselves refuse `npm pack` and
 * `npm publish` (their `prepack` script says to come here).
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The published packages, by folder under packages/. */
export const PUBLISHED_PACKAGES = ['sightline', 'sightline-nats', 'cli'] as const;

/** The condition that points at TypeScript sources inside the repository only. */
const SOURCE_CONDITION = 'source';
/** package.json fields for work inside the repository. */
const REPOSITORY_ONLY_FIELDS = new Set(['scripts', 'devDependencies']);

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
interface Manifest {
  readonly [key: string]: Json | undefined;
  readonly files?: string[];
  readonly exports?: Json;
}

/** The package.json consumers get: no `source` condition, no scripts or dev dependencies. */
export function publishedManifest(manifest: Manifest): Manifest {
  const published: Manifest = Object.fromEntries(Object.entries(manifest).filter(([field]) => !REPOSITORY_ONLY_FIELDS.has(field)));
  return manifest.exports === undefined ? published : { ...published, exports: withoutCondition(manifest.exports, SOURCE_CONDITION) };
}

function withoutCondition(exports: Json, condition: string): Json {
  if (exports === null || typeof exports !== 'object' || Array.isArray(exports)) return exports;
  return Object.fromEntries(
    Object.entries(exports)
      .filter(([key]) => key !== condition)
      .map(([key, value]) => [key, withoutCondition(value, condition)]),
  );
}

/** Builds the packages and packs each into `outDir`; resolves with the tarball paths, in {@link PUBLISHED_PACKAGES} order. */
export async function packPackages(outDir: string): Promise<string[]> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const projects = PUBLISHED_PACKAGES.map((name) => join(ROOT, 'packages', name, 'tsconfig.build.json'));
  await run(process.execPath, [tsc, '-b', ...projects]);
  await mkdir(outDir, { recursive: true });
  const stageRoot = await mkdtemp(join(tmpdir(), 'sightline-stage-'));
  try {
    const stages = await Promise.all(PUBLISHED_PACKAGES.map((name) => stagePackage(name, join(stageRoot, name))));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', resolve(outDir), ...stages], { cwd: stageRoot });
    return (JSON.parse(stdout) as { filename: string }[]).map(({ filename }) => join(resolve(outDir), filename));
  } finally {
    await rm(stageRoot, { recursive: true, force: true });
  }
}

async function stagePackage(name: string, stage: string): Promise<string> {
  const packageDir = join(ROOT, 'packages', name);
  const manifest = publishedManifest(JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as Manifest);
  await mkdir(stage, { recursive: true });
  for (const entry of manifest.files ?? []) await cp(join(packageDir, entry), join(stage, entry), { recursive: true });
  await cp(join(packageDir, 'README.md'), join(stage, 'README.md'));
  await cp(join(ROOT, 'LICENSE'), join(stage, 'LICENSE'));
  await writeFile(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return stage;
}

if (import.meta.main) {
  const tarballs = await packPackages(process.argv[2] ?? join(ROOT, 'dist', 'packages'));
  process.stdout.write(`${tarballs.join('\n')}\n`);
}
