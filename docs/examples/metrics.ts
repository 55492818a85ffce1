/**
 * Examples for docs/metrics.md. Type-checked with the rest of the repository.
 */
import { createServer } from 'node:http';
import { metrics } from '@opentelemetry/api';
import express from 'express';
import Fastify from 'fastify';
import { catalogue } from 'sightline';
import { registerTelemetryMetrics, SpanMetricsProcessor, startTelemetry } from 'sightline/sdk';
import { createMetricsHandler, createMetricsRegistry, startMetricsServer, tenantLabels } from 'sightline/metrics';

export async function standaloneServer(): Promise<void> {
  // One registry per process: the default runtime metrics are process-wide.
  const registry = createMetricsRegistry({
    maxSeriesPerMetric: 2000,
    tenantLabelPolicy: tenantLabels.topK(20),
  });

  // Host and port default to OTEL_EXPORTER_PROMETHEUS_HOST / _PORT, else 0.0.0.0:9464.
  await using server = await startMetricsServer(registry, { bearerToken: process.env['METRICS_TOKEN'] });
  console.log(`scrape ${server.url}`);

  const cacheRequests = registry.counter(catalogue.cacheRequests);
  cacheRequests.inc({ cache: 'products', result: 'hit' });
}

export function mountedHandler(): void {
  const registry = createMetricsRegistry();
  const metrics = createMetricsHandler(registry, { bearerToken: 's3cret' });

  // node:http
  createServer((req, res) => {
    if (req.url === '/metrics') metrics(req, res);
    else res.end('hello');
  }).listen(8080);

  // Express (Fastify: `(request, reply) => metrics(request.raw, reply.raw)`)
  const app = express();
  app.get('/metrics', (req, res) => metrics(req, res));
  app.listen(8081);
}

export async function withTelemetry(): Promise<void> {
  // With OTEL_METRICS_EXPORTER=prometheus (or metrics.exporter below) this also
  // starts the metrics server; span metrics and self-metrics are already in telemetry.metrics.
  const telemetry = await startTelemetry({
    serviceName: 'orders',
    metrics: {
      exporter: 'prometheus',
      port: 9464,
      path: '/metrics',
      bearerToken: process.env['METRICS_TOKEN'], // or SIGHTLINE_METRICS_BEARER_TOKEN
      tenantLabels: tenantLabels.topK(20), // or SIGHTLINE_METRICS_TENANT_LABELS=top:20
      maxSeriesPerMetric: 2000,
      defaultMetrics: true,
    },
  });
  telemetry.metrics.histogram(catalogue.eventLag).observe(
    { messaging_destination_name: 'order.created', messaging_consumer_group_name: 'billing' },
    0.8,
  );
  await telemetry.shutdown();
}

export function byHand(): SpanMetricsProcessor {
  // Without startTelemetry: wire span metrics and self-metrics yourself.
  const registry = createMetricsRegistry({ defaultMetrics: false });
  registerTelemetryMetrics(registry, { stats: () => ({ exported: 0, dropped: 0, failed: 0, queueSize: 0 }) });
  return new SpanMetricsProcessor(registry); // pass to new TracerProvider({ spanProcessors: [...] })
}

export function tenantLabelValue(tenantId: string | undefined): string {
  const registry = createMetricsRegistry({ tenantLabelPolicy: tenantLabels.allowList(['acme', 'globex']) });
  return registry.tenantLabels.labelFor(tenantId); // 'acme', 'globex', 'other', or '' without a tenant
}

export async function zeroCodeFastify(): Promise<void> {
  // No Sightline import: run with `OTEL_METRICS_EXPORTER=prometheus node --import sightline/register app.js`
  // (or OTEL_METRICS_EXPORTER=otlp). Each request is recorded in
  // http_server_request_duration_seconds{http_route="/users/:id"}, with the trace of a sampled one as exemplar.
  const app = Fastify();
  await app.register(
    (users, _options, done) => {
      users.get<{ Params: { id: string } }>('/:id', (request, reply) => reply.send({ id: request.params.id }));
      done();
    },
    { prefix: '/users' },
  );
  await app.listen({ port: 3000 });
}

export function apiInstruments(): void {
  // Served as app_jobs_total{job_kind, error_type} and pushed as app.jobs. Its labels are the attribute
  // keys of its first measurement, so give every measurement the same keys ('' for none).
  const jobs = metrics.getMeter('app').createCounter('app.jobs', { description: 'Jobs done.' });
  jobs.add(1, { 'job.kind': 'export', 'error.type': '' });
  jobs.add(1, { 'job.kind': 'export', 'error.type': 'timeout' });
}
