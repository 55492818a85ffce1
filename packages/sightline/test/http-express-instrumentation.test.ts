/**
 * `sightlineExpress` under OpenTelemetry's Express instrumentation (which
 * `startTelemetry` enables with the HTTP one). That instrumentation runs each
 * middleware, `sightlineExpress` included, in a span of its own, so the active
 * span inside the middleware is not the server span. The route, the new name
 * and the tenant must still go to the SERVER span, the Express spans must keep
 * their names, and spans created in a handler must carry the tenant.
 *
 * Express is loaded with `require` after the instrumentations are enabled:
 * they patch it when it is loaded, and a static import would load it first.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { after, before, it } from 'node:test';
import { SpanKind, trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import type expressModule from 'express';
import { tryGetTenantContext } from 'sightline';
import { createMetricsRegistry } from 'sightline/metrics';
import type { MetricsRegistry } from 'sightline';
import { sightlineExpress } from 'sightline/express';
import { baseUrlOf, closeServer } from './support/http-server-harness.ts';
import { waitFor } from './support/poll.ts';
import { parseSamples } from './support/prometheus-text.ts';
import { startTracingHarness } from './support/tracing-harness.ts';
import type { TracingHarness } from './support/tracing-harness.ts';

/** The attribute the Express instrumentation puts on each of its spans (`middleware`, `router`, `request_handler`). */
const EXPRESS_TYPE = 'express.type';

let tracing: TracingHarness;
let disableInstrumentations: () => void;
let registry: MetricsRegistry;
let url: string;
let close: () => Promise<void>;

before(async () => {
  tracing = startTracingHarness();
  disableInstrumentations = registerInstrumentations({
    instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()],
  });
  const require = createRequire(import.meta.url);
  const express = require('express') as typeof expressModule;

  registry = createMetricsRegistry({ defaultMetrics: false });
  const app = express();
  app.use(sightlineExpress({ registry, user: { header: 'x-user-id' } }));
  app.use(express.json());
  const orders = express.Router();
  orders.get('/:id', (request, response) => {
    const span = trace.getTracer('test').startSpan('orders.load');
    span.end();
    const tenant = tryGetTenantContext();
    response.json({ id: request.params.id, tenant: tenant?.tenantId ?? null, user: tenant?.userId ?? null });
  });
  app.use('/orders', orders);
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = baseUrlOf(server);
  close = () => closeServer(server);
});

after(async () => {
  await close();
  disableInstrumentations();
  await tracing.close();
});

it('renames the SERVER span after the route and stamps its tenant, not an Express middleware span', async () => {
  const response = await fetch(`${url}/orders/42?expand=lines`, { headers: { 'x-tenant-id': 'acme', 'x-user-id': 'u-7' } });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { id: '42', tenant: 'acme', user: 'u-7' });

  const server = await waitFor('the server span', () => tracing.spans().find((span) => span.kind === SpanKind.SERVER));
  assert.equal(server.name, 'GET /orders/:id');
  assert.equal(server.attributes['http.route'], '/orders/:id');
  assert.equal(server.attributes['tenant.id'], 'acme');
  assert.equal(server.attributes['user.id'], 'u-7');

  const expressSpans = tracing.spans().filter((span) => span.attributes[EXPRESS_TYPE] !== undefined);
  const types = new Set(expressSpans.map((span) => span.attributes[EXPRESS_TYPE]));
  assert.ok(types.has('middleware') && types.has('request_handler'), `the Express instrumentation is on: ${[...types].join(', ')}`);
  for (const span of expressSpans) {
    assert.equal(span.parentSpanContext?.spanId, server.spanContext().spanId, `${span.name} is a child of the server span`);
    assert.match(span.name, /^(middleware - |router - |request handler)/, `an Express span keeps its own name: ${span.name}`);
  }
  assert.deepEqual(
    tracing.spans().filter((span) => span.name === 'GET /orders/:id').map((span) => span.kind),
    [SpanKind.SERVER],
    'only the server span is renamed',
  );
  // The span the Express instrumentation runs the middleware in: the active span while it resolves the tenant.
  const own = expressSpans.find((span) => span.attributes['express.name'] === 'sightlineExpress');
  assert.ok(own, `the middleware's own span: ${expressSpans.map((span) => span.name).join(', ')}`);
  assert.equal(own.name, 'middleware - sightlineExpress');
  assert.equal(own.attributes['tenant.id'], undefined, 'the tenant is stamped on the server span, not the middleware span');

  const load = tracing.span('orders.load');
  assert.equal(load.spanContext().traceId, server.spanContext().traceId);
  assert.equal(load.attributes['tenant.id'], 'acme');
  assert.equal(load.attributes['user.id'], 'u-7');

  const durations = parseSamples(await registry.render('prometheus')).filter(
    (sample) => sample.name === 'http_server_request_duration_seconds_count',
  );
  assert.deepEqual(
    durations.map((sample) => [sample.labels['http_route'], sample.labels['http_response_status_code'], sample.value]),
    [['/orders/:id', '200', 1]],
  );
  assert.deepEqual(tracing.problems(), []);
});

it('leaves the SERVER span of a request no route matched named after the method, as its metrics are unmatched', async () => {
  tracing.exporter.reset();
  // The Express instrumentation reports the deepest mount path it passed (`/orders`) as the route.
  const response = await fetch(`${url}/orders/42/extra`, { headers: { 'x-tenant-id': 'acme' } });
  assert.equal(response.status, 404);
  await response.arrayBuffer();

  const server = await waitFor('the server span', () => tracing.spans().find((span) => span.kind === SpanKind.SERVER));
  assert.equal(server.name, 'GET');
  assert.equal(server.attributes['http.route'], undefined);
  assert.equal(server.attributes['tenant.id'], 'acme');
  const unmatched = parseSamples(await registry.render('prometheus')).filter(
    (sample) => sample.name === 'http_server_request_duration_seconds_count' && sample.labels['http_route'] === 'unmatched',
  );
  assert.deepEqual(unmatched.map((sample) => [sample.labels['http_response_status_code'], sample.value]), [['404', 1]]);
  assert.deepEqual(tracing.problems(), []);
});
