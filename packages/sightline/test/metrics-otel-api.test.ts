/**
 * Instruments of the OpenTelemetry metrics API that are not in the
 * catalogue: their labels are the attribute keys of the first measurement,
 * and a later attribute without a label is dropped with a warning that names
 * the instrument and the key, once, while the measurement itself is kept.
 */
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { createMetricsRegistry } from '../src/metrics/registry.ts';
import { createRegistryMeterProvider, DROPPED_ATTRIBUTE_WARNING_CODE } from '../src/metrics/otel-meter-provider.ts';
import { samplesOf } from './support/prometheus-text.ts';

describe('OpenTelemetry API instruments outside the catalogue', () => {
  it('keep the labels of their first measurement; a later attribute key is dropped and reported once per instrument and key', async () => {
    const warnings: string[] = [];
    const emit = mock.method(process, 'emitWarning', (message: string, options: { code?: string }) => {
      if (options.code === DROPPED_ATTRIBUTE_WARNING_CODE) warnings.push(message);
    });
    try {
      const registry = createMetricsRegistry({ defaultMetrics: false });
      const meter = createRegistryMeterProvider(registry).getMeter('app');
      const jobs = meter.createCounter('app.jobs');
      jobs.add(1, { 'job.kind': 'lookup' });
      jobs.add(2, { 'job.kind': 'lookup', 'job.outcome': 'failed' });
      jobs.add(4, { 'job.kind': 'export', 'job.outcome': 'done' });
      jobs.add(8, { 'job.kind': 'export', 'job.queue': 'slow' });
      meter.createHistogram('queue.wait', { unit: 'ms' }).record(3, { 'job.outcome': 'done' });

      const text = await registry.render('prometheus');
      assert.equal(samplesOf(text, 'app_jobs_total', { job_kind: 'lookup' })[0]?.value, 3, 'the measurement with a dropped key is kept');
      assert.equal(samplesOf(text, 'app_jobs_total', { job_kind: 'export' })[0]?.value, 12);
      assert.ok(!text.includes('job_outcome="failed"'));
      assert.equal(samplesOf(text, 'queue_wait_milliseconds_count', { job_outcome: 'done' })[0]?.value, 1, 'another instrument has labels of its own');
      assert.equal(warnings.length, 2, 'once per instrument and key');
      assert.match(warnings[0] ?? '', /instrument app\.jobs took its labels from the attribute keys of its first measurement \(labels job_kind\); its attribute 'job\.outcome' has no label and is dropped/);
      assert.match(warnings[1] ?? '', /instrument app\.jobs .* its attribute 'job\.queue' has no label/);
    } finally {
      emit.mock.restore();
    }
  });

  it('report nothing for the attributes a catalogue metric has no label for (those are dropped by design)', () => {
    const warnings: string[] = [];
    const emit = mock.method(process, 'emitWarning', (message: string, options: { code?: string }) => {
      if (options.code === DROPPED_ATTRIBUTE_WARNING_CODE) warnings.push(message);
    });
    try {
      const meter = createRegistryMeterProvider(createMetricsRegistry({ defaultMetrics: false })).getMeter('http');
      meter.createHistogram('http.server.request.duration', { unit: 's' }).record(0.1, { 'http.request.method': 'GET', 'url.scheme': 'http' });
      assert.deepEqual(warnings, []);
    } finally {
      emit.mock.restore();
    }
  });
});
