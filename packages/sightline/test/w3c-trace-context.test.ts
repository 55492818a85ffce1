/**
 * W3C Trace Context conformance: the official validation suite
 * (conformance/w3c-trace-context) against an app started with
 * `--import sightline/register`, at `STRICT_LEVEL=2`, where a tracestate
 * header that violates the specification must be discarded whole.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { startChildApp } from './support/child-app.ts';
import { freePort } from './support/free-port.ts';

const SUITE = fileURLToPath(new URL('./conformance/w3c-trace-context/test/', import.meta.url));

function runSuite(python: string, serviceUrl: string, harnessPort: number): Promise<{ code: number | null; output: string }> {
  const child = spawn(python, ['test.py', serviceUrl], {
    cwd: SUITE,
    env: { PATH: process.env['PATH'] ?? '', PYTHONDONTWRITEBYTECODE: '1', STRICT_LEVEL: '2', SPEC_LEVEL: '1', HARNESS_PORT: String(harnessPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}

void describe('W3C Trace Context test suite', () => {
  void it('passes at STRICT_LEVEL=2', async () => {
    const python = process.env['SIGHTLINE_W3C_PYTHON'];
    assert.ok(python !== undefined, 'SIGHTLINE_W3C_PYTHON is not set: run the tests with `bash scripts/test.sh`');
    await using app = startChildApp('w3c-service.ts', { env: { OTEL_TRACES_EXPORTER: 'none' }, execArgv: ['--import', 'sightline/register'] });
    const { port } = await app.nextMessage<{ port: number }>();

    const { code, output } = await runSuite(python, `http://127.0.0.1:${port}/test`, await freePort());
    assert.equal(code, 0, output);
    assert.match(output, /STRICT_LEVEL: 2/);
    const ran = Number(/^Ran (\d+) tests/m.exec(output)?.[1]);
    assert.ok(ran >= 40, `the whole suite ran (${ran} tests)`);
    assert.match(output, /^OK \(skipped=1\)$/m, 'only the level 2 random-flag test (SPEC_LEVEL=2) is skipped');
  });
});
