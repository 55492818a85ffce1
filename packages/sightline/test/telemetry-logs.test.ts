/**
 * Logs that carry the trace: an app started with `--import sightline/register`
 * writes with pino and winston; records written inside a span carry
 * `trace_id`, `span_id`, `trace_flags` and `tenant.id`, and with
 * `OTEL_LOGS_EXPORTER=otlp` they reach an OTLP receiver (the local viewer,
 * which decodes them with the official protos) over the protocol and
 * endpoint the traces use.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { startTraceViewer } from 'sightline-cli';

const APP = fileURLToPath(new URL('./fixtures/logging-app.ts', import.meta.url));
const execFileAsync = promisify(execFile);

async function runApp(env: Record<string, string>): Promise<Record<string, unknown>[]> {
  const { stdout } = await execFileAsync(process.execPath, ['--conditions=source', '--import', 'sightline/register', APP], {
    env: { ...process.env, OTEL_SERVICE_NAME: 'logging-app', OTEL_METRICS_EXPORTER: 'none', ...env },
    timeout: 60_000,
  });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('logs that carry the trace', () => {
  for (const protocol of ['http/protobuf', 'grpc']) {
    it(`pino and winston records carry trace_id, span_id, trace_flags and tenant.id, and go out as OTLP logs over ${protocol}`, async () => {
      await using viewer = await startTraceViewer({ port: 0 });
      const endpoint = protocol === 'grpc' ? viewer.grpcUrl : viewer.url;
      assert.ok(endpoint !== undefined);
      const lines = await runApp({ OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_LOGS_EXPORTER: 'otlp' });
      const ids = lines.find((line) => 'traceId' in line) as { traceId: string; spanId: string };
      const inside = lines.filter((line) => line['orderId'] === 'o-1');
      assert.equal(inside.length, 2, JSON.stringify(lines));
      for (const record of inside) {
        assert.equal(record['trace_id'], ids.traceId);
        assert.equal(record['span_id'], ids.spanId);
        assert.equal(record['trace_flags'], '01');
        assert.equal(record['tenant.id'], 'acme');
      }
      const outside = lines.find((line) => line['msg'] === 'pino outside');
      assert.ok(outside && !('trace_id' in outside) && !('tenant.id' in outside), 'a record outside any span carries no trace');

      const response = await fetch(`${viewer.url}/api/logs?traceId=${ids.traceId}`);
      const { logs } = (await response.json()) as { logs: { body: string; spanId: string; service: string; severityText: string; attributes: Record<string, unknown> }[] };
      assert.deepEqual(logs.map((log) => [log.body, log.spanId, log.service, log.attributes['tenant.id']]).sort(), [
        ['pino inside', ids.spanId, 'logging-app', 'acme'],
        ['winston inside', ids.spanId, 'logging-app', 'acme'],
      ]);
      const all = (await (await fetch(`${viewer.url}/api/logs`)).json()) as { logs: { body: string }[] };
      assert.ok(all.logs.some((log) => log.body === 'pino outside'));
    });
  }

  it('sends no logs unless OTEL_LOGS_EXPORTER asks, and still correlates the records', async () => {
    await using viewer = await startTraceViewer({ port: 0 });
    const lines = await runApp({ OTEL_EXPORTER_OTLP_ENDPOINT: viewer.url });
    const ids = lines.find((line) => 'traceId' in line) as { traceId: string };
    assert.equal(lines.find((line) => line['msg'] === 'pino inside')?.['trace_id'], ids.traceId);
    assert.equal(viewer.ingest.logs.size, 0);
    assert.ok(viewer.store.get(ids.traceId), 'the trace itself was exported');
  });
});
