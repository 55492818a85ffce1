/**
 * Plain OpenTelemetry, the way its documentation sets up a Node.js service:
 * the ES module loader hook, then `NodeSDK` with the HTTP instrumentation
 * (and Express's, when the app is on Express), the batch span processor and
 * the OTLP/HTTP protobuf exporter that `NodeSDK` builds from the `OTEL_*`
 * variables. Loaded with `--import` before the app.
 */
import { register } from 'node:module';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
const { NodeSDK } = await import('@opentelemetry/sdk-node');
const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
const { ExpressInstrumentation } = await import('@opentelemetry/instrumentation-express');

const sdk = new NodeSDK({
  instrumentations: process.env['BENCH_FRAMEWORK'] === 'express' ? [new HttpInstrumentation(), new ExpressInstrumentation()] : [new HttpInstrumentation()],
});
sdk.start();
// The server exits on SIGTERM by itself (bench/scenarios/http-server.ts); this flushes meanwhile.
process.once('SIGTERM', () => {
  void sdk.shutdown();
});
