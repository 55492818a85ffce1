/**
 * Fault: how a process ends. On SIGINT and on a normal exit (the event loop
 * runs dry) every queued span is exported before the process goes; on an
 * uncaught exception telemetry does not hide the crash (exit code 1, the
 * error on stderr). SIGTERM is covered by telemetry-shutdown.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startChildApp } from '../support/child-app.ts';
import { startHttpReceiver } from '../support/otlp-receiver.ts';

const SPANS = 300;

function env(endpoint: string): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: 'exit-modes',
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint,
    OTEL_BSP_SCHEDULE_DELAY: '600000',
    OTEL_BSP_MAX_QUEUE_SIZE: '2048',
  };
}

void describe('process exit faults', () => {
  void it(`exports all ${SPANS} queued spans on SIGINT, then dies by SIGINT`, async () => {
    await using receiver = await startHttpReceiver();
    await using app = startChildApp('exit-modes-app.ts', { env: env(receiver.endpoint), args: [String(SPANS), 'sigint'] });
    assert.deepEqual(await app.nextMessage(), { queued: SPANS });
    app.process.kill('SIGINT');
    assert.deepEqual(await app.exited(), { code: null, signal: 'SIGINT' });
    assert.equal(receiver.spans().length, SPANS);
  });

  void it(`exports all ${SPANS} queued spans when the event loop runs dry, and exits 0`, async () => {
    await using receiver = await startHttpReceiver();
    await using app = startChildApp('exit-modes-app.ts', { env: env(receiver.endpoint), args: [String(SPANS), 'exit'] });
    assert.deepEqual(await app.nextMessage(), { queued: SPANS });
    assert.deepEqual(await app.exited(), { code: 0, signal: null });
    assert.equal(receiver.spans().length, SPANS);
  });

  void it('leaves an uncaught exception fatal: exit code 1 with the error on stderr', async () => {
    await using receiver = await startHttpReceiver();
    await using app = startChildApp('exit-modes-app.ts', { env: env(receiver.endpoint), args: [String(SPANS), 'uncaught'] });
    assert.deepEqual(await app.nextMessage(), { queued: SPANS });
    const exit = await app.exited();
    assert.equal(exit.code, 1);
    assert.match(app.stderr(), /the app crashed/);
  });
});
