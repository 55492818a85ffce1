/**
 * API and SDK apart: importing `sightline` (what service and library code
 * uses) loads `@opentelemetry/api` and nothing else from npm, so a library
 * that only adds spans pays for the API alone; the OpenTelemetry SDK,
 * exporters and instrumentations load only with `sightline/sdk`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startChildApp } from './support/child-app.ts';

async function loadedPackages(specifier: string): Promise<Record<string, number>> {
  await using app = startChildApp('loaded-packages.ts', { env: {}, args: [specifier] });
  const { packages } = await app.nextMessage<{ packages: Record<string, number> }>();
  return packages;
}

void describe('what importing an entry point loads', () => {
  void it('sightline loads @opentelemetry/api and no other package', async () => {
    assert.deepEqual(Object.keys(await loadedPackages('sightline')), ['@opentelemetry/api']);
  });

  void it('sightline-nats loads the NATS client and, of telemetry, only @opentelemetry/api', async () => {
    const packages = Object.keys(await loadedPackages('sightline-nats'));
    assert.ok(packages.includes('@nats-io/transport-node'), packages.join(', '));
    const telemetry = packages.filter((name) => name.startsWith('@opentelemetry/') || name.startsWith('@prometheus-io/'));
    assert.deepEqual(telemetry, ['@opentelemetry/api']);
  });

  void it('sightline/sdk is where the SDK loads (the hook sees ES modules and CommonJS alike)', async () => {
    const packages = await loadedPackages('sightline/sdk');
    for (const name of ['@opentelemetry/sdk-trace', '@opentelemetry/core', '@opentelemetry/instrumentation', 'require-in-the-middle']) {
      assert.ok((packages[name] ?? 0) > 0, `${name} is loaded: ${Object.keys(packages).join(', ')}`);
    }
  });
});
