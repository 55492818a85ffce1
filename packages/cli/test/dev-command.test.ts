/**
 * `sightline dev` as a user runs it: the variables it prints are enough for
 * an app started with only `--import sightline/register` (default protocol
 * http/protobuf, or gRPC) to show up, its traces and its pushed metrics; each trace is printed once, within
 * about a second of its last span, even when late spans arrive; a refused
 * request is reported once; a taken port gets a hint; SIGINT stops it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { context, trace as traceApi } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { waitFor } from '../../sightline/test/support/poll.ts';
import { run } from './support/repo.ts';

const BIN = fileURLToPath(new URL('../bin/sightline.js', import.meta.url));
const APP = fileURLToPath(new URL('./fixtures/hello-app.ts', import.meta.url));

interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
}

function start(command: string, args: readonly string[], env: Record<string, string>, t: { after(fn: () => void): void }): Running {
  const child = spawn(command, [...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return { child, stdout: () => stdout, stderr: () => stderr };
}

/** Starts `sightline dev` on free ports; resolves with the printed endpoints. */
async function startDev(t: { after(fn: () => void): void }): Promise<Running & { http: string; grpc: string }> {
  const dev = start(process.execPath, ['--conditions=source', BIN, 'dev', '--port', '0', '--grpc-port', '0'], {}, t);
  const http = await waitFor('the HTTP endpoint', () => /export OTEL_EXPORTER_OTLP_ENDPOINT=(http:\/\/\S+)/.exec(dev.stdout())?.[1], 20_000);
  const grpc = await waitFor('the gRPC endpoint', () => /OTEL_EXPORTER_OTLP_PROTOCOL=grpc OTEL_EXPORTER_OTLP_ENDPOINT=(http:\/\/\S+)/.exec(dev.stdout())?.[1], 20_000);
  return { ...dev, http, grpc };
}

/** The variables of the printed `export` lines before the gRPC alternative, as the shell would set them. */
function printedVariables(stdout: string): Record<string, string> {
  const http = stdout.split('or over gRPC:')[0] ?? '';
  return Object.fromEntries([...http.matchAll(/^ {2}export (\w+)=(\S+)/gm)].map(([, name, value]) => [name as string, value as string]));
}

interface TraceItem {
  traceId: string;
  rootName: string;
  service: string;
}

describe('sightline dev', () => {
  it('prints the variables to paste, including a short batch delay', async (t) => {
    const dev = await startDev(t);
    assert.match(dev.stdout(), /export OTEL_BSP_SCHEDULE_DELAY=200/);
    assert.match(dev.stdout(), /export OTEL_LOGS_EXPORTER=otlp/);
    assert.match(dev.stdout(), /export OTEL_METRICS_EXPORTER=otlp\n/, 'metrics are pushed to the viewer, not scraped');
    assert.doesNotMatch(dev.stdout(), /--scrape|9464/);
    dev.child.kill('SIGINT');
    const [code] = (await once(dev.child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });

  for (const protocol of ['http/protobuf (the default)', 'grpc']) {
    it(`shows an app started with only --import sightline/register and the printed variables, over ${protocol}`, async (t) => {
      const dev = await startDev(t);
      const env: Record<string, string> = { ...printedVariables(dev.stdout()), OTEL_SERVICE_NAME: `hello-${protocol.split(' ')[0]?.replace('/', '-')}` };
      if (protocol === 'grpc') Object.assign(env, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: dev.grpc });
      const app = start(process.execPath, ['--conditions=source', '--import', 'sightline/register', APP], env, t);
      const port = await waitFor('the app port', () => /\{"port":(\d+)\}/.exec(app.stdout())?.[1], 60_000);
      assert.equal((await fetch(`http://127.0.0.1:${port}/hello`)).status, 200);

      const found = await waitFor(
        'the app trace in the viewer',
        async () => ((await (await fetch(`${dev.http}/api/traces?service=${env['OTEL_SERVICE_NAME']}`)).json()) as { traces: TraceItem[] }).traces[0],
        20_000,
      );
      assert.equal(found.rootName, 'GET');
      await waitFor('the printed trace', () => (dev.stdout().includes(`trace ${found.traceId}`) ? true : undefined), 10_000);
      await waitFor(
        'the pushed request metrics on the metrics page',
        async () => ((await (await fetch(`${dev.http}/api/metrics`)).json()) as { routes: { job: string }[] }).routes.find((row) => row.job === env['OTEL_SERVICE_NAME']),
        20_000,
      );
      assert.equal(app.stderr(), '', 'the app printed no warning');
    });
  }

  it('prints a trace once, within a second of its last span, and late spans as a count', async (t) => {
    const dev = await startDev(t);
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'orders' }),
      spanProcessors: [new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${dev.http}/v1/traces` }) })],
    });
    t.after(() => provider.shutdown());
    const tracer = provider.getTracer('test');
    const root = tracer.startSpan('checkout');
    const late = tracer.startSpan('process order.created', {}, traceApi.setSpan(context.active(), root));
    root.end();
    await provider.forceFlush();
    const sent = performance.now();
    const traceId = root.spanContext().traceId;
    await waitFor('the printed trace', () => (dev.stdout().includes(`trace ${traceId} (1 spans)`) ? true : undefined), 10_000);
    const printedAfter = performance.now() - sent;
    assert.ok(printedAfter < 1500, `printed ${printedAfter.toFixed(0)} ms after the span arrived`);

    late.end();
    await provider.forceFlush();
    await waitFor('the late span note', () => (dev.stdout().includes(`trace ${traceId}: 1 more span arrived (now 2)`) ? true : undefined), 10_000);
    assert.equal(dev.stdout().split(`trace ${traceId} (`).length - 1, 1, 'the tree is printed once');
  });

  it('reports the first refused request of each kind once, and keeps serving', async (t) => {
    const dev = await startDev(t);
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${dev.http}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array([0x0a, 0x7f]) });
      assert.equal(response.status, 400);
    }
    await waitFor('the refusal line', () => (/refused an OTLP http request \(400\) to traces/.test(dev.stderr()) ? true : undefined), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(dev.stderr().match(/refused/g)?.length, 1, dev.stderr());
    const status = (await (await fetch(`${dev.http}/api/status`)).json()) as { rejected: Record<string, number> };
    assert.equal(status.rejected['400'], 3);
  });

  it('exits 1 with a hint to use --port when the port is taken', async (t) => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    t.after(() => blocker.close());
    const { port } = blocker.address() as AddressInfo;
    const result = await run(process.execPath, ['--conditions=source', BIN, 'dev', '--port', String(port), '--grpc-port', '0']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 .* is in use.*--port`));
  });
});
