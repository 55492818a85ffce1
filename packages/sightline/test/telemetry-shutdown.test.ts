/**
 * Shutdown: pending spans are exported on SIGTERM before the process ends as
 * it would have, `shutdown()` is idempotent, and the handle's life cycle
 * (double start, restart, disabled, `await using`) behaves as documented.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import { TelemetryAlreadyStartedError } from 'sightline';
import { startTelemetry } from 'sightline/sdk';
import type { TelemetrySpanStats } from 'sightline';
import type { TelemetryOptions } from 'sightline/sdk';
import { startChildApp } from './support/child-app.ts';
import { startGrpcReceiver, startHttpReceiver } from './support/otlp-receiver.ts';

const SPANS = 500;

function burstEnv(endpoint: string, protocol: string): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: 'span-burst',
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint,
    OTEL_BSP_SCHEDULE_DELAY: '600000',
    OTEL_BSP_MAX_QUEUE_SIZE: '2048',
    OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '1024',
  };
}

void describe('shutdown on signals', () => {
  void it(`exports all ${SPANS} queued spans on SIGTERM, then dies by SIGTERM when the app has no listener`, async () => {
    await using receiver = await startGrpcReceiver();
    await using app = startChildApp('span-burst-app.ts', { env: burstEnv(receiver.endpoint, 'grpc'), args: [String(SPANS)] });
    assert.deepEqual(await app.nextMessage(), { queued: SPANS });
    assert.equal(receiver.spans().length, 0, 'nothing is exported before the signal');

    app.process.kill('SIGTERM');
    assert.deepEqual(await app.exited(), { code: null, signal: 'SIGTERM' });
    const spans = receiver.spans();
    assert.equal(spans.length, SPANS);
    assert.deepEqual(
      new Set(spans.map((s) => s.attributes['burst.index'])),
      new Set(Array.from({ length: SPANS }, (_, i) => i)),
    );
  });

  void it('lets the app decide when it listens for SIGTERM itself; shutdown() twice is harmless', async () => {
    await using receiver = await startHttpReceiver();
    await using app = startChildApp('span-burst-app.ts', {
      env: burstEnv(receiver.endpoint, 'http/protobuf'),
      args: [String(SPANS), 'own-handler'],
    });
    assert.deepEqual(await app.nextMessage(), { queued: SPANS });

    app.process.kill('SIGTERM');
    const report = await app.nextMessage<{ ownHandler: TelemetrySpanStats; samePromise: boolean }>();
    assert.equal(report.samePromise, true);
    assert.equal(report.ownHandler.exported, SPANS);
    assert.equal(report.ownHandler.failed, 0);
    assert.equal(report.ownHandler.dropped, 0);
    assert.deepEqual(await app.exited(), { code: 0, signal: null });
    assert.equal(receiver.spans().length, SPANS);
  });

  void it("exports the spans the app's own SIGTERM handler makes while it drains", async () => {
    const DRAINED = 50;
    await using receiver = await startHttpReceiver();
    await using app = startChildApp('span-burst-app.ts', {
      env: burstEnv(receiver.endpoint, 'http/protobuf'),
      args: [String(SPANS), 'drain', String(DRAINED)],
    });
    assert.deepEqual(await app.nextMessage(), { queued: SPANS });

    app.process.kill('SIGTERM');
    assert.deepEqual(await app.exited(), { code: 0, signal: null });
    const indexes = new Set(receiver.spans().map((s) => s.attributes['burst.index']));
    assert.equal(indexes.size, SPANS + DRAINED);
    assert.deepEqual(indexes, new Set(Array.from({ length: SPANS + DRAINED }, (_, i) => i)));
  });
});

void describe('shutdown on signals with --import sightline/register', () => {
  const registerEnv = (endpoint: string, extra: Record<string, string>): Record<string, string> => ({
    ...burstEnv(endpoint, 'http/protobuf'),
    OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http',
    ...extra,
  });

  void it('flushes on SIGTERM by default, then dies by SIGTERM', async () => {
    await using receiver = await startHttpReceiver();
    await using app = startChildApp('register-span-app.ts', {
      env: registerEnv(receiver.endpoint, {}),
      execArgv: ['--import', 'sightline/register'],
      args: [String(SPANS)],
    });
    assert.deepEqual(await app.nextMessage(), { queued: SPANS });
    app.process.kill('SIGTERM');
    assert.deepEqual(await app.exited(), { code: null, signal: 'SIGTERM' });
    assert.equal(receiver.spans().length, SPANS);
  });

  void it('leaves SIGTERM alone with SIGHTLINE_HANDLE_SIGNALS=false: the process dies at once and the queue is lost', async () => {
    await using receiver = await startHttpReceiver();
    await using app = startChildApp('register-span-app.ts', {
      env: registerEnv(receiver.endpoint, { SIGHTLINE_HANDLE_SIGNALS: 'false' }),
      execArgv: ['--import', 'sightline/register'],
      args: [String(SPANS)],
    });
    assert.deepEqual(await app.nextMessage(), { queued: SPANS });
    app.process.kill('SIGTERM');
    assert.deepEqual(await app.exited(), { code: null, signal: 'SIGTERM' });
    assert.equal(receiver.spans().length, 0, 'nothing was flushed');
    assert.equal(receiver.requests.length, 0);
  });
});

void describe('the Telemetry handle', () => {
  const quiet = (endpoint: string): TelemetryOptions => ({
    serviceName: 'handle-test',
    traces: { protocol: 'http/protobuf', endpoint },
    instrumentations: { http: false, undici: false, pg: false, ioredis: false, express: false },
  });

  void it('counts exported spans, flushes on demand and shuts down once', async () => {
    await using receiver = await startHttpReceiver();
    const telemetry = await startTelemetry(quiet(receiver.endpoint));
    assert.equal(telemetry.config.serviceName, 'handle-test');
    assert.ok(Object.isFrozen(telemetry.config));
    assert.equal(telemetry.stats().queueCapacity, telemetry.config.batch.maxQueueSize);

    for (let i = 0; i < 3; i++) trace.getTracer('handle-test').startSpan(`unit.${i}`).end();
    assert.equal(telemetry.stats().queueSize, 3);
    await telemetry.forceFlush();
    assert.deepEqual(telemetry.stats(), { exported: 3, dropped: 0, failed: 0, queueSize: 0, queueCapacity: 2048 });
    assert.equal(receiver.spans().length, 3);

    await assert.rejects(startTelemetry(quiet(receiver.endpoint)), (error: unknown) => {
      assert.ok(error instanceof TelemetryAlreadyStartedError);
      assert.equal(error.code, 'SIGHTLINE_TELEMETRY_ALREADY_STARTED');
      assert.match(error.message, /startTelemetry\(\)/);
      return true;
    });

    const first = telemetry.shutdown();
    assert.equal(telemetry.shutdown(), first, 'a second shutdown() returns the same promise');
    await first;
    await telemetry.forceFlush();
    trace.getTracer('handle-test').startSpan('after.shutdown').end();
    assert.equal(telemetry.stats().exported, 3);

    await using restarted = await startTelemetry(quiet(receiver.endpoint));
    trace.getTracer('handle-test').startSpan('restarted').end();
    await restarted.forceFlush();
    assert.deepEqual(receiver.spans().map((s) => s.name), ['unit.0', 'unit.1', 'unit.2', 'restarted']);
  });

  void it('returns a handle that does nothing when telemetry is disabled', async () => {
    const telemetry = await startTelemetry({ enabled: false });
    assert.equal(telemetry.config.enabled, false);
    assert.deepEqual(telemetry.stats(), { exported: 0, dropped: 0, failed: 0, queueSize: 0, queueCapacity: 0 });
    await telemetry.forceFlush();
    await telemetry.shutdown();
    await telemetry[Symbol.asyncDispose]();
    const second = await startTelemetry({ enabled: false });
    await second.shutdown();
  });
});
