/**
 * One run of the export-pipeline scenario, in its own process pinned to the
 * server core: starts `spans` per second for `seconds` (each span started
 * and ended at once, in a tenant context) through Sightline's pipeline or
 * plain OpenTelemetry's (`NodeSDK`: batch processor, OTLP/HTTP protobuf
 * exporter), both sending to the OTLP sink from the environment, flushes,
 * and prints one JSON {@link ExportRunResult} line.
 */
import { trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { withTenant } from 'sightline';
import { startTelemetry } from 'sightline/sdk';

/** What to run. */
export interface ExportRunSpec {
  readonly pipeline: 'sightline' | 'otel';
  readonly spansPerSecond: number;
  readonly seconds: number;
}

/** What it cost. */
export interface ExportRunResult {
  readonly spans: number;
  readonly seconds: number;
  /** Share of one core used while spans were produced, in percent. */
  readonly corePercent: number;
  readonly maxHeapMB: number;
  /** Spans dropped by the batch processor (Sightline only; -1 when unknown). */
  readonly dropped: number;
  readonly exported: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as ExportRunSpec;
const instrumentations = { http: false, undici: false, pg: false, ioredis: false, express: false };
const telemetry = spec.pipeline === 'sightline' ? await startTelemetry({ sampler: { type: 'always_on' }, instrumentations }) : undefined;
const sdk = spec.pipeline === 'otel' ? new NodeSDK({ instrumentations: [] }) : undefined;
sdk?.start();
const tracer = trace.getTracer('bench');

let maxHeap = 0;
const sampleHeap = (): void => {
  maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
};
const target = Math.round(spec.spansPerSecond * spec.seconds);
let emitted = 0;
const cpu = process.cpuUsage();
const started = performance.now();
await withTenant({ tenantId: 'acme', userId: 'u-1' }, async () => {
  const heapTimer = setInterval(sampleHeap, 250);
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(target, Math.floor(((performance.now() - started) / 1000) * spec.spansPerSecond));
      for (; emitted < due; emitted++) tracer.startSpan('bench.operation', { attributes: { 'app.module': 'bench' } }).end();
      if (emitted >= target) {
        clearInterval(tick);
        resolve();
      }
    }, 10);
  });
  clearInterval(heapTimer);
});
const seconds = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
sampleHeap();
await telemetry?.forceFlush();
await sdk?.shutdown();
const stats = telemetry?.stats();
await telemetry?.shutdown();
const result: ExportRunResult = {
  spans: emitted,
  seconds,
  corePercent: ((used.user + used.system) / 1e6 / seconds) * 100,
  maxHeapMB: maxHeap / 2 ** 20,
  dropped: stats?.dropped ?? -1,
  exported: stats?.exported ?? -1,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
