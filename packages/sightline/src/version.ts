/** The version of the `sightline` package, read from its package.json (one level above both src/ and dist/). */
import { createRequire } from 'node:module';

const packageJson = createRequire(import.meta.url)('../package.json') as { readonly version: string };

/** This package's version, e.g. `0.1.0`. */
export const VERSION: string = packageJson.version;
