/**
 * Start-up: `--import sightline/register` (and `-r sightline/register` for
 * CommonJS) with a bad setting in strict mode stops the process before the
 * app runs, with the typed error on stderr (the default, a warning and the
 * app running, is telemetry-never-fatal.test.ts); starting too late for
 * instrumentation is said once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startChildApp } from './support/child-app.ts';

const REGISTER = ['--import', 'sightline/register'];

void describe('--import sightline/register start-up', () => {
  for (const [name, value, expected] of [
    ['OTEL_BSP_MAX_QUEUE_SIZE', 'lots', /OTEL_BSP_MAX_QUEUE_SIZE/],
    ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'carrier-pigeon', /OTEL_EXPORTER_OTLP_TRACES_PROTOCOL.*carrier-pigeon/],
    ['OTEL_LOG_LEVEL', 'chatty', /OTEL_LOG_LEVEL.*chatty/],
  ] as const) {
    void it(`fails loudly on ${name}=${value} with SIGHTLINE_STRICT_CONFIG=true`, async () => {
      await using app = startChildApp('plain-app.ts', { env: { [name]: value, SIGHTLINE_STRICT_CONFIG: 'true' }, execArgv: REGISTER });
      const exit = await app.exited();
      assert.notEqual(exit.code, 0);
      assert.equal(exit.signal, null);
      assert.match(app.stderr(), /InvalidConfigError/);
      assert.match(app.stderr(), /SIGHTLINE_INVALID_CONFIG/);
      assert.match(app.stderr(), expected);
      await assert.rejects(app.nextMessage(1000), /exited/, 'the app did not run');
    });
  }

  void it('-r sightline/register (require) starts telemetry before the CommonJS app runs', async () => {
    await using app = startChildApp('plain-app.cjs', { env: { OTEL_TRACES_EXPORTER: 'none' }, execArgv: ['-r', 'sightline/register'] });
    assert.deepEqual(await app.nextMessage(), { ran: true });
    assert.deepEqual(await app.exited(), { code: 0, signal: null });
    assert.equal(app.stderr(), '');
  });

  void it('-r sightline/register with a bad setting: one line on stderr and the app runs', async () => {
    await using app = startChildApp('plain-app.cjs', {
      env: { OTEL_TRACES_EXPORTER: 'none', OTEL_BSP_MAX_QUEUE_SIZE: 'lots' },
      execArgv: ['-r', 'sightline/register'],
    });
    assert.deepEqual(await app.nextMessage(), { ran: true });
    assert.deepEqual(await app.exited(), { code: 0, signal: null });
    const lines = app.stderr().split('\n').filter((line) => line !== '');
    assert.equal(lines.length, 1, app.stderr());
    assert.match(lines[0] ?? '', /OTEL_BSP_MAX_QUEUE_SIZE.*lots/);
  });

  void it('-r sightline/register with a bad setting stops the app with SIGHTLINE_STRICT_CONFIG=true', async () => {
    await using app = startChildApp('plain-app.cjs', {
      env: { OTEL_BSP_MAX_QUEUE_SIZE: 'lots', SIGHTLINE_STRICT_CONFIG: 'true' },
      execArgv: ['-r', 'sightline/register'],
    });
    const exit = await app.exited();
    assert.notEqual(exit.code, 0);
    assert.equal(exit.signal, null);
    assert.match(app.stderr(), /InvalidConfigError/);
    assert.match(app.stderr(), /OTEL_BSP_MAX_QUEUE_SIZE/);
    await assert.rejects(app.nextMessage(1000), /exited/, 'the app did not run');
  });

  void it('starts the app when the configuration is valid', async () => {
    await using app = startChildApp('plain-app.ts', { env: { OTEL_TRACES_EXPORTER: 'none' }, execArgv: REGISTER });
    assert.deepEqual(await app.nextMessage(), { ran: true });
    assert.deepEqual(await app.exited(), { code: 0, signal: null });
    assert.equal(app.stderr(), '');
  });

  void it('warns once when express was loaded before startTelemetry() in a CommonJS app', async () => {
    await using app = startChildApp('late-start.cjs', { env: {} });
    assert.deepEqual(await app.nextMessage(), { started: true });
    assert.deepEqual(await app.exited(), { code: 0, signal: null }, 'stderr is complete once the process has exited');
    assert.equal(app.stderr().match(/SIGHTLINE_INSTRUMENTATION_LATE/g)?.length, 1, app.stderr());
    assert.match(app.stderr(), /'express' was loaded before telemetry started/);
  });

  void it('sends diag output to the console at OTEL_LOG_LEVEL (any letter case), and not without it', async () => {
    const diagLine = /^sightline: The app is an ES module/m;
    await using quiet = startChildApp('late-start.ts', { env: {} });
    assert.deepEqual(await quiet.exited(), { code: 0, signal: null });
    assert.doesNotMatch(quiet.stderr(), diagLine, 'only the process warning, no diag line');
    await using loud = startChildApp('late-start.ts', { env: { OTEL_LOG_LEVEL: 'Warn' } });
    assert.deepEqual(await loud.exited(), { code: 0, signal: null });
    assert.match(loud.stderr(), diagLine, loud.stderr());
  });

  void it('warns once that an ES module app needs --import sightline/register', async () => {
    await using app = startChildApp('late-start.ts', { env: {} });
    assert.deepEqual(await app.nextMessage(), { started: true });
    assert.deepEqual(await app.exited(), { code: 0, signal: null }, 'stderr is complete once the process has exited');
    assert.equal(app.stderr().match(/SIGHTLINE_INSTRUMENTATION_LATE/g)?.length, 1, app.stderr());
    assert.match(app.stderr(), /--import sightline\/register/);
  });
});
