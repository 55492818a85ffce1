#!/usr/bin/env node
// The `sightline` command. It loads the package through its own name, so
// `node --conditions=source` (development) runs the TypeScript source and a
// plain `node` runs the compiled dist/.
import { runCli } from 'sightline-cli';

// SIGINT and SIGTERM end a command that runs until interrupted (`sightline dev`).
const interrupted = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => interrupted.abort());

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, interrupted.signal);
