/**
 * Never fatal: telemetry is never the reason a service is down. An invalid
 * variable is one line on stderr (the variable, its value, what is
 * accepted; no stack) and its setting takes the default; a busy metrics port
 * is one line and telemetry runs without the metrics server;
 * `OTEL_SDK_DISABLED=true` ignores every other variable.
 * `SIGHTLINE_STRICT_CONFIG=true` stops start-up instead, and options passed
 * in code keep their typed errors.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { InvalidConfigError } from 'sightline';
import { startTelemetry } from 'sightline/sdk';
import { resolveTelemetryConfigFor } from '../src/telemetry/config/resolve.ts';
import { startChildApp } from './support/child-app.ts';
import type { ChildApp } from './support/child-app.ts';

const REGISTER = ['--import', 'sightline/register'];
const BASE: Record<string, string> = { OTEL_TRACES_EXPORTER: 'none', OTEL_SERVICE_NAME: 'never-fatal' };

interface ServingReport {
  readonly port: number;
  readonly telemetry: { readonly config: unknown; readonly metricsUrl: string | null } | null;
}

/** Asks the app for `/`, stops it with SIGTERM and returns its report and complete stderr. */
async function serveOnce(app: ChildApp): Promise<{ report: ServingReport; stderr: string }> {
  const report = await app.nextMessage<ServingReport>();
  const response = await fetch(`http://127.0.0.1:${report.port}/`);
  assert.equal(response.status, 200, 'the app serves');
  assert.equal(await response.text(), 'ok');
  app.process.kill('SIGTERM');
  await app.exited();
  return { report, stderr: app.stderr() };
}

/** Each variable Sightline reads and an invalid value; the apps below start with all of them at once. */
const INVALID: Readonly<Record<string, string>> = {
  OTEL_SDK_DISABLED: 'yes',
  OTEL_ENABLED: 'sometimes',
  OTEL_RESOURCE_ATTRIBUTES: 'team',
  OTEL_EXPORTER_OTLP_PROTOCOL: 'carrier-pigeon',
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'smoke-signals',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://collector',
  OTEL_EXPORTER_OTLP_HEADERS: 'authorization',
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'bad header=1',
  OTEL_EXPORTER_OTLP_TIMEOUT: 'soon',
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '-5',
  OTEL_EXPORTER_OTLP_COMPRESSION: 'zip',
  OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'brotli',
  OTEL_BSP_SCHEDULE_DELAY: '1.5',
  OTEL_BSP_EXPORT_TIMEOUT: '0',
  OTEL_BSP_MAX_QUEUE_SIZE: 'lots',
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '4096',
  OTEL_TRACES_SAMPLER: 'sometimes',
  OTEL_PROPAGATORS: 'tracecontext,xray',
  OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: 'long',
  OTEL_ATTRIBUTE_COUNT_LIMIT: '-1',
  OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '1e3',
  OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: 'many',
  OTEL_SPAN_EVENT_COUNT_LIMIT: '12.5',
  OTEL_SPAN_LINK_COUNT_LIMIT: 'x',
  OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT: '-3',
  OTEL_LINK_ATTRIBUTE_COUNT_LIMIT: 'lots',
  OTEL_SAMPLING_RATE: 'half',
  OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'kafka',
  OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'mongodb',
  OTEL_METRICS_EXPORTER: 'statsd',
  OTEL_EXPORTER_PROMETHEUS_PORT: '70000',
  OTEL_LOG_LEVEL: 'chatty',
  SIGHTLINE_HANDLE_SIGNALS: 'maybe',
  SIGHTLINE_METRICS_BEARER_TOKEN: 'two words',
  SIGHTLINE_METRICS_TENANT_LABELS: 'everyone',
};
/** Variables whose test needs other variables valid: the sampler argument is read for a ratio sampler only, and
 * an invalid exporter falls back to OTLP, sent here to a closed port. */
const INVALID_IN_CONTEXT: Readonly<Record<string, string>> = { OTEL_TRACES_SAMPLER_ARG: '1.5', OTEL_TRACES_EXPORTER: 'zipkin' };
const CONTEXT: Readonly<Record<string, string>> = {
  OTEL_TRACES_SAMPLER: 'traceidratio',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:1/v1/traces',
};

/** Values that may hold credentials: the line names the variable but does not repeat them. */
const SECRET = new Set(['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'SIGHTLINE_METRICS_BEARER_TOKEN']);

interface InvalidRun {
  readonly lines: readonly string[];
  readonly config: unknown;
  readonly expected: unknown;
}

/** Starts the app once with `invalid` on top of BASE; every test of a variable reads this one run. */
function runWithInvalid(invalid: Readonly<Record<string, string>>, valid: Readonly<Record<string, string>> = {}): () => Promise<InvalidRun> {
  let run: Promise<InvalidRun> | undefined;
  return () =>
    (run ??= (async () => {
      await using app = startChildApp('serving-app.ts', { env: { ...BASE, ...valid, ...invalid }, execArgv: REGISTER });
      const { report, stderr } = await serveOnce(app);
      const unset = Object.fromEntries(Object.entries({ ...BASE, ...valid }).filter(([name]) => !(name in invalid)));
      const expected = resolveTelemetryConfigFor('register', {}, unset);
      return {
        lines: stderr.split('\n').filter((line) => line !== ''),
        config: withoutInstanceId(report.telemetry?.config),
        expected: withoutInstanceId(JSON.parse(JSON.stringify(expected))),
      };
    })());
}

/** The configuration without the random `service.instance.id`, which differs between any two resolutions. */
function withoutInstanceId(config: unknown): unknown {
  const copy = structuredClone(config) as { serviceInstanceId?: string; resourceAttributes: Record<string, string> };
  delete copy.serviceInstanceId;
  delete copy.resourceAttributes['service.instance.id'];
  return copy;
}

void describe('an invalid variable is one line on stderr, its default is used and the app keeps serving', () => {
  const everyInvalid = runWithInvalid(INVALID);
  const inContext = runWithInvalid(INVALID_IN_CONTEXT, CONTEXT);
  const cases: readonly (readonly [string, string, () => Promise<InvalidRun>])[] = [
    ...Object.entries(INVALID).map(([name, value]) => [name, value, everyInvalid] as const),
    ...Object.entries(INVALID_IN_CONTEXT).map(([name, value]) => [name, value, inContext] as const),
  ];
  for (const [name, value, run] of cases) {
    void it(`${name}=${value}`, async () => {
      const { lines, config, expected } = await run();
      const own = lines.filter((line) => line.startsWith(`sightline: ignoring ${name}=`));
      assert.equal(own.length, 1, `one line for ${name}:\n${lines.join('\n')}`);
      assert.match(own[0] ?? '', /: expected .+ \(setting [\w.]+\); using the default\./);
      if (!SECRET.has(name)) assert.ok(own[0]?.includes(JSON.stringify(value)), own[0]);
      assert.deepEqual(config, expected, 'every setting has its default');
    });
  }
  void it('and nothing else is written', async () => {
    assert.equal((await everyInvalid()).lines.length, Object.keys(INVALID).length);
    assert.equal((await inContext()).lines.length, Object.keys(INVALID_IN_CONTEXT).length);
  });
});

void describe('start-up that cannot fail', () => {
  void it('OTEL_SDK_DISABLED=true ignores every other variable, however wrong', async () => {
    await using app = startChildApp('serving-app.ts', {
      env: { ...INVALID, ...INVALID_IN_CONTEXT, OTEL_SDK_DISABLED: 'TRUE' },
      execArgv: REGISTER,
    });
    const { report, stderr } = await serveOnce(app);
    assert.equal(report.telemetry, null, 'no telemetry runs');
    assert.equal(stderr, '');
  });

  void it('reports a busy metrics port in one line and runs without the metrics server', async () => {
    await using busy = await occupyPort();
    await using app = startChildApp('serving-app.ts', {
      env: { ...BASE, OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: String(busy.port) },
      execArgv: REGISTER,
    });
    const { report, stderr } = await serveOnce(app);
    assert.ok(report.telemetry !== null, 'telemetry runs');
    assert.equal(report.telemetry.metricsUrl, null, 'without a metrics server');
    const lines = stderr.split('\n').filter((line) => line !== '');
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0] ?? '', new RegExp(`^sightline: The metrics server could not listen on 127\\.0\\.0\\.1:${busy.port} .*Telemetry runs without the metrics server\\.$`));
  });
});

void describe('SIGHTLINE_STRICT_CONFIG=true', () => {
  void it('stops start-up on an invalid variable with the typed error', async () => {
    await using app = startChildApp('serving-app.ts', {
      env: { ...BASE, SIGHTLINE_STRICT_CONFIG: 'true', OTEL_BSP_MAX_QUEUE_SIZE: 'lots' },
      execArgv: REGISTER,
    });
    const exit = await app.exited();
    assert.notEqual(exit.code, 0);
    assert.match(app.stderr(), /InvalidConfigError: Expected OTEL_BSP_MAX_QUEUE_SIZE to be a whole number/);
    await assert.rejects(app.nextMessage(1000), /exited/, 'the app did not run');
  });

  void it('stops start-up on a busy metrics port', async () => {
    await using busy = await occupyPort();
    await using app = startChildApp('serving-app.ts', {
      env: { ...BASE, SIGHTLINE_STRICT_CONFIG: 'true', OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: String(busy.port) },
      execArgv: REGISTER,
    });
    assert.notEqual((await app.exited()).code, 0);
    assert.match(app.stderr(), /MetricsServerStartError/);
  });
});

void describe('options passed in code', () => {
  void it('keep their typed errors, strict mode or not', async () => {
    await assert.rejects(startTelemetry({ batch: { maxQueueSize: 0 } }), InvalidConfigError);
  });
});

async function occupyPort(): Promise<{ port: number } & AsyncDisposable> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
