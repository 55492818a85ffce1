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
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { Session } from 'node:inspector/promises';
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

// With BENCH_PROFILE_FILE, SIGUSR2 starts a CPU profile of the steady state (startup left out) and
// SIGTERM writes it. The benchmark stops servers with SIGTERM: exit after half a second for the
// exporters to flush. A closed stdin means the orchestrator itself is gone.
const profileFile = process.env['BENCH_PROFILE_FILE'];
const profiler = profileFile === undefined ? undefined : new Session();
profiler?.connect();
process.on('SIGUSR2', () => {
  void profiler?.post('Profiler.enable').then(() => profiler.post('Profiler.start'));
});
process.once('SIGTERM', () => {
  server.close();
  const written = profiler?.post('Profiler.stop').then(({ profile }) => writeFile(profileFile!, JSON.stringify(profile)));
  void Promise.resolve(written)
    .catch(() => undefined)
    .then(() => setTimeout(() => process.exit(0), 500));
});
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
const server = createServer(framework === 'express' ? await expressListener() : await nodeListener());
server.listen(Number(process.env['BENCH_PORT'] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
