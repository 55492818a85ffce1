/**
 * The loader hook wraps only the modules the curated instrumentations patch
 * (so startup does not rewrite every module an app imports); every module
 * an instrumentation patches must be in that list, or an ES module app
 * would silently lose its spans. The spans themselves are proven by the
 * `--import sightline/register` tests (telemetry-export, pg-span-processor).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { InstrumentationBase } from '@opentelemetry/instrumentation';
import { createInstrumentations } from '../src/telemetry/instrumentations.ts';
import { HOOKED_MODULES } from '../src/telemetry/loader-hook.ts';
import { createMetricsRegistry } from '../src/metrics/registry.ts';

void it('the loader hook covers every module an enabled instrumentation patches', async () => {
  const instrumentations = await createInstrumentations(
    { http: true, undici: true, pg: true, ioredis: true, express: true, fastify: true, pino: true, winston: true },
    { ignoreIncomingRequest: () => false, registry: createMetricsRegistry(), sendLogs: false, samplerReadsAttributes: false, contextHeaders: undefined },
  );
  try {
    const patched = new Set(
      instrumentations.flatMap((instrumentation) =>
        'getModuleDefinitions' in instrumentation
          ? (instrumentation as InstrumentationBase).getModuleDefinitions().map((definition) => definition.name)
          : [],
      ),
    );
    assert.ok(patched.size > 0);
    for (const name of patched) assert.ok(HOOKED_MODULES.includes(name), `${name} is patched but not hooked`);
    assert.deepEqual([...HOOKED_MODULES].sort(), [...patched].sort(), 'the hook wraps nothing an instrumentation does not patch');
  } finally {
    for (const instrumentation of instrumentations) instrumentation.disable();
  }
});
