/**
 * `currentTelemetry()`: the handle of the running telemetry, reachable from
 * code that did not start it (an app started with `--import sightline/register`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currentTelemetry } from 'sightline';
import { startTelemetry } from 'sightline/sdk';
import { startChildApp } from './support/child-app.ts';

void describe('currentTelemetry()', () => {
  void it('is the handle startTelemetry() returned while it runs, and undefined before and after', async () => {
    assert.equal(currentTelemetry(), undefined);
    const telemetry = await startTelemetry({
      serviceName: 'current',
      traces: { exporter: 'none' },
      instrumentations: { http: false, undici: false, pg: false, ioredis: false, express: false },
    });
    assert.equal(currentTelemetry(), telemetry);
    await telemetry.shutdown();
    assert.equal(currentTelemetry(), undefined);
  });

  void it('is undefined when telemetry is disabled', async () => {
    await using telemetry = await startTelemetry({ enabled: false });
    assert.equal(telemetry.metricsUrl, undefined);
    assert.equal(currentTelemetry(), undefined);
  });

  void it('gives an app started with --import sightline/register the registry its metrics server serves', async () => {
    await using app = startChildApp('current-telemetry-app.ts', {
      env: {
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'prometheus',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: '0',
      },
      execArgv: ['--import', 'sightline/register'],
    });
    const seen = await app.nextMessage<{ running: boolean; metricsUrl: string | null; servesItsRegistry: boolean }>();
    assert.equal(seen.running, true);
    assert.match(seen.metricsUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    assert.equal(seen.servesItsRegistry, true);
    assert.deepEqual(await app.nextMessage(), { afterShutdown: true });
    assert.deepEqual(await app.exited(), { code: 0, signal: null });
  });
});
