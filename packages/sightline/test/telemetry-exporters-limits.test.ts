/**
 * The rest of the trace configuration surface, end to end from an app
 * started with `--import sightline/register` and OTEL_* variables only:
 * an exporter list sends every span to each exporter, and the span limit
 * variables cut what a span keeps before it is exported.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startChildApp } from './support/child-app.ts';
import { startHttpReceiver } from './support/otlp-receiver.ts';
import type { OtlpReceiver } from './support/otlp-receiver.ts';

const REGISTER = ['--import', 'sightline/register'];

function exportTo(receiver: OtlpReceiver): Record<string, string> {
  return { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '50' };
}

void describe('trace configuration from the environment', () => {
  void it('OTEL_TRACES_EXPORTER=otlp,console sends each span to the collector and prints it', async () => {
    await using receiver = await startHttpReceiver();
    await using app = startChildApp('serving-app.ts', { env: { ...exportTo(receiver), OTEL_TRACES_EXPORTER: 'otlp,console' }, execArgv: REGISTER });
    const { port, telemetry } = await app.nextMessage<{ port: number; telemetry: { config: { traces: { exporters: string[] } } } }>();
    assert.deepEqual(telemetry.config.traces.exporters, ['otlp', 'console']);
    assert.equal((await fetch(`http://127.0.0.1:${port}/exported`)).status, 200);

    const [span] = await receiver.waitForSpans(1);
    assert.equal(span?.attributes['url.path'], '/exported');
    app.process.kill('SIGTERM');
    await app.exited();
    assert.match(app.stdout(), new RegExp(`traceId: '${span.traceId}'`), 'the console exporter printed the same span');
    assert.equal(receiver.spans().length, 1, 'and the collector got it once');
  });

  void it('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT and OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT bound every exported span', async () => {
    await using receiver = await startHttpReceiver();
    const limits = { OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '4', OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '6', OTEL_TRACES_EXPORTER: 'otlp' };
    await using app = startChildApp('serving-app.ts', { env: { ...exportTo(receiver), ...limits }, execArgv: REGISTER });
    const { port } = await app.nextMessage<{ port: number }>();
    assert.equal((await fetch(`http://127.0.0.1:${port}/a-rather-long-path`)).status, 200);

    const [span] = await receiver.waitForSpans(1);
    assert.ok(span !== undefined);
    const attributes = Object.entries(span.attributes);
    assert.equal(attributes.length, 4, `at most 4 attributes: ${JSON.stringify(span.attributes)}`);
    for (const [name, value] of attributes) {
      if (typeof value === 'string') assert.ok(value.length <= 6, `${name}=${value} is cut to 6 characters`);
    }
    assert.ok(attributes.some(([, value]) => typeof value === 'string' && value.length === 6), 'a longer value was cut, not dropped');
  });
});
