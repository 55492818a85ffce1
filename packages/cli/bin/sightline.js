#!/usr/bin/env node
// The `sightline` command. It loads the package through its own name, so
// `node --conditions=source` (development) runs the TypeScript source and a
// plain `node` runs the compiled dist/.
import { runCli } from 'sightline-cli';

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
