/**
 * The hello-world server of the HTTP scenario, on `node:http` or Express.
 * `BENCH_FRAMEWORK` (`node` | `express`) picks the framework and
 * `BENCH_MIDDLEWARE=sightline` wraps it in Sightline's middleware and serves
 * `/metrics` from the running telemetry's registry; what runs beneath
 * (nothing, plain OpenTelemetry, the auto-instrumentations, Sightline's
 * register) comes from the Node.js flags the scenario starts it with.
 *
 * Listens on `BENCH_PORT` (default 0) and prints `{"port": N}`.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

const framework = process.env['BENCH_FRAMEWORK'] ?? 'node';
const withSightline = process.env['BENCH_MIDDLEWARE'] === 'sightline';

function hello(_request: IncomingMessage, response: ServerResponse): void {
  response.setHeader('content-type', 'text/plain');
  response.end('hello');
}

async function nodeListener(): Promise<RequestListener> {
  if (!withSightline) return hello;
  const { currentTelemetry } = await import('sightline');
  const { createMetricsHandler } = await import('sightline/metrics');
  const { sightlineHttp } = await import('sightline/http');
  const registry = currentTelemetry()!.metrics;
  const metrics = createMetricsHandler(registry);
  const app = sightlineHttp(hello, { registry, route: (request) => (request.url === '/' ? '/' : undefined) });
  return (request, response) => (request.url === '/metrics' ? metrics(request, response) : app(request, response));
}

async function expressListener(): Promise<RequestListener> {
  const { default: express } = await import('express');
  const app = express();
  if (withSightline) {
    const { currentTelemetry } = await import('sightline');
  const { createMetricsHandler } = await import('sightline/metrics');
    const { sightlineExpress } = await import('sightline/express');
    const registry = currentTelemetry()!.metrics;
    app.use(sightlineExpress({ registry }));
    app.get('/metrics', createMetricsHandler(registry));
  }
  app.get('/', (_request, response) => {
    response.type('text/plain').send('hello');
  });
  return app;
}

// The benchmark stops servers with SIGTERM: exit normally (so `--cpu-prof` writes its profile) after
// half a second for the exporters to flush. A closed stdin means the orchestrator itself is gone.
process.once('SIGTERM', () => {
  server.close();
  setTimeout(() => process.exit(0), 500).unref();
});
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
const server = createServer(framework === 'express' ? await expressListener() : await nodeListener());
server.listen(Number(process.env['BENCH_PORT'] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
