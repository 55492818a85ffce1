/**
 * The behaviour every HTTP adapter must show, run against a real server of
 * each framework (one test file per framework calls
 * {@link describeHttpAdapter} with a function that starts its app), under
 * each server instrumentation: OpenTelemetry's (the middleware records the
 * request) and Sightline's (the middleware hands tenant and route over).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { tryGetTenantContext } from 'sightline';
import { createMetricsRegistry } from 'sightline/metrics';
import type { MetricsRegistry } from 'sightline';
import { startHttpTracing } from './http-server-harness.ts';
import { waitFor } from './poll.ts';
import { parseSamples } from './prometheus-text.ts';
import type { HttpTracing, ServerInstrumentation } from './http-server-harness.ts';
import type { Sample } from './prometheus-text.ts';

/** What the handlers of the app under test do; each framework maps its routes onto these. */
export interface TestRoutes {
  /** GET /orders/:id — creates the span `orders.load` and answers with the tenant it sees. */
  order(id: string): { readonly id: string; readonly tenant: string | null; readonly user: string | null };
  /**
   * POST /orders — called once the JSON body was read the framework's usual
   * way (Express: `express.json()` mounted after the middleware; Fastify: its
   * JSON parser; Hono: `await c.req.json()`; node:http: `'data'`/`'end'`
   * listeners); creates the span `orders.create`, answers with the body and the tenant it sees.
   */
  create(body: unknown): Created;
  /**
   * POST /uploads — called from the `'finish'` listener of a Writable the
   * Node.js request stream was piped into with {@link pipeBody} (as multer
   * and other busboy-based parsers read uploads); creates the span
   * `uploads.store`, answers like `create`.
   */
  upload(body: unknown): Created;
  /** GET /boom — throws. */
  boom(): never;
  /** GET /slow — waits until the test releases it, then the app answers 200. */
  slow(): Promise<void>;
}

/** What POST /orders and POST /uploads answer. */
export interface Created {
  readonly body: unknown;
  readonly tenant: string | null;
  readonly user: string | null;
}

/**
 * Pipes `request` (a Node.js request stream) into a Writable that collects
 * it, and calls `onBody` with the parsed JSON from the Writable's `'finish'`
 * listener, the way stream-based body parsers hand over their result.
 */
export function pipeBody(request: Readable, onBody: (body: unknown) => void): void {
  const chunks: Buffer[] = [];
  const collector = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  collector.on('finish', () => onBody(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
  request.pipe(collector);
}

/** A started app. */
export interface AppUnderTest {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the framework's app on port 0 with the Sightline adapter mounted
 * with `{ registry, user: { header: 'x-user-id' } }` and the routes above.
 */
export type StartApp = (registry: MetricsRegistry, routes: TestRoutes) => Promise<AppUnderTest>;

const DURATION = 'http_server_request_duration_seconds_count';
const ACTIVE = 'http_server_active_requests';

function created(spanName: string, body: unknown): Created {
  const span = trace.getTracer('test').startSpan(spanName);
  span.end();
  const tenant = tryGetTenantContext();
  return { body, tenant: tenant?.tenantId ?? null, user: tenant?.userId ?? null };
}

function createRoutes() {
  let arrive: () => void = () => {};
  let release: () => void = () => {};
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const routes: TestRoutes = {
    order(id) {
      const span = trace.getTracer('test').startSpan('orders.load');
      span.end();
      const tenant = tryGetTenantContext();
      return { id, tenant: tenant?.tenantId ?? null, user: tenant?.userId ?? null };
    },
    create: (body) => created('orders.create', body),
    upload: (body) => created('uploads.store', body),
    boom() {
      throw new Error('boom');
    },
    async slow() {
      arrive();
      await released;
    },
  };
  return { routes, arrived, release };
}

async function scrape(registry: MetricsRegistry): Promise<Sample[]> {
  return parseSamples(await registry.render('prometheus'));
}

function find(samples: Sample[], name: string, labels: Record<string, string>): Sample | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** Polls the registry until `name{labels}` has `value`. */
async function waitForSample(registry: MetricsRegistry, name: string, labels: Record<string, string>, value: number) {
  return waitFor(`${name}${JSON.stringify(labels)} == ${value}`, async () => {
    const sample = find(await scrape(registry), name, labels);
    return sample?.value === value ? sample : undefined;
  });
}

/** Defines the shared tests for one adapter. */
/** What an adapter promises beyond the shared scenarios. */
export interface AdapterTraits {
  /**
   * A handler's throw is recorded on the server span (exception event). Express hands errors
   * to its router, which no first middleware sees; there the Express instrumentation records them.
   */
  readonly recordsThrownErrors: boolean;
}

export function describeHttpAdapter(framework: string, start: StartApp, traits: AdapterTraits = { recordsThrownErrors: true }): void {
  describeUnder('opentelemetry', framework, start, traits);
  describeUnder('sightline', framework, start, traits);
}

const INSTRUMENTATION_NAMES: Record<ServerInstrumentation, string> = {
  opentelemetry: "OpenTelemetry's node:http instrumentation",
  sightline: "Sightline's node:http instrumentation",
};

function describeUnder(servers: ServerInstrumentation, framework: string, start: StartApp, traits: AdapterTraits): void {
  describe(`${framework} middleware under ${INSTRUMENTATION_NAMES[servers]}`, () => {
    let tracing: HttpTracing;
    before(() => {
      tracing = startHttpTracing(servers);
    });
    after(() => tracing.close());

    async function startApp(t: { after(fn: () => Promise<void>): void }) {
      tracing.exporter.reset();
      tracing.diagMessages.length = 0;
      const registry = createMetricsRegistry();
      // The tests read the registry themselves; rendered once now, it is not "unserved" in a slow test.
      await registry.render('prometheus');
      const instrumented = tracing.instrumentServers(registry);
      const { routes, arrived, release } = createRoutes();
      const app = await start(registry, routes);
      t.after(async () => {
        release();
        await app.close();
        instrumented[Symbol.dispose]();
      });
      return { registry, app, arrived, release };
    }

    it('labels by route template and status, renames the server span and puts the tenant into context', async (t) => {
      const { registry, app } = await startApp(t);

      const ok = await fetch(`${app.url}/orders/42?expand=lines`, { headers: { 'x-tenant-id': 'acme', 'x-user-id': 'u-7' } });
      assert.equal(ok.status, 200);
      assert.deepEqual(await ok.json(), { id: '42', tenant: 'acme', user: 'u-7' });
      assert.equal((await fetch(`${app.url}/no/such/path/123`)).status, 404);
      assert.equal((await fetch(`${app.url}/boom`)).status, 500);

      await waitForSample(registry, DURATION, { http_route: '/orders/:id', http_response_status_code: '200', http_request_method: 'GET' }, 1);
      await waitForSample(registry, DURATION, { http_route: 'unmatched', http_response_status_code: '404' }, 1);
      await waitForSample(registry, DURATION, { http_route: '/boom', http_response_status_code: '500' }, 1);
      await waitForSample(registry, ACTIVE, { http_request_method: 'GET' }, 0);
      const samples = await scrape(registry);
      assert.equal(samples.filter((s) => s.name === DURATION).length, 3);
      assert.ok(samples.every((s) => !JSON.stringify(s.labels).includes('42') && !JSON.stringify(s.labels).includes('/no/')));
      assert.ok(samples.filter((s) => s.name === DURATION).every((s) => s.labels['tenant_id'] === undefined || s.labels['tenant_id'] === ''));

      const servers = await waitFor('three server spans', () => {
        const spans = tracing.serverSpans();
        return spans.length === 3 ? spans : undefined;
      });
      const orderSpan = servers.find((s) => s.name === 'GET /orders/:id');
      assert.ok(orderSpan, `server spans: ${servers.map((s) => s.name).join(', ')}`);
      assert.equal(orderSpan.attributes['http.route'], '/orders/:id');
      const load = tracing.span('orders.load');
      assert.equal(load.parentSpanContext?.spanId, orderSpan.spanContext().spanId);
      assert.equal(load.attributes['tenant.id'], 'acme');
      assert.equal(load.attributes['user.id'], 'u-7');
      const boom = servers.find((s) => s.name === 'GET /boom' && s.attributes['http.route'] === '/boom');
      assert.ok(boom, 'the failed request has its server span');
      if (traits.recordsThrownErrors) {
        assert.equal(boom.status.code, SpanStatusCode.ERROR);
        const exceptions = boom.events.filter((event) => event.name === 'exception');
        assert.equal(exceptions.length, 1, `one exception event on the server span: ${JSON.stringify(boom.events)}`);
        assert.equal(exceptions[0]?.attributes?.['exception.message'], 'boom');
      }
      const unmatched = servers.find((s) => s.attributes['http.response.status_code'] === 404);
      assert.equal(unmatched?.name, 'GET');
      assert.equal(unmatched.attributes['http.route'], undefined);
      assert.deepEqual(tracing.problems(), []);
    });

    it('takes the first value of a repeated tenant header', async (t) => {
      const { app } = await startApp(t);
      const headers = new Headers([['x-tenant-id', 'acme'], ['x-tenant-id', 'globex'], ['x-user-id', 'u-7']]);
      const response = await fetch(`${app.url}/orders/7`, { headers });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { id: '7', tenant: 'acme', user: 'u-7' });
    });

    const bodyReaders = [
      { how: 'by the usual body parser', path: '/orders', contentType: 'application/json', spanName: 'orders.create' },
      { how: 'through the request stream', path: '/uploads', contentType: 'application/octet-stream', spanName: 'uploads.store' },
    ] as const;
    for (const { how, path, contentType, spanName } of bodyReaders) {
      it(`keeps the tenant context in the handler that runs after the body was read ${how}`, async (t) => {
        const { registry, app } = await startApp(t);
        const body = { item: 'book', quantity: 2 };

        const response = await fetch(`${app.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': contentType, 'x-tenant-id': 'acme', 'x-user-id': 'u-7' },
          body: JSON.stringify(body),
        });
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), { body, tenant: 'acme', user: 'u-7' });

        await waitForSample(registry, DURATION, { http_route: path, http_request_method: 'POST', http_response_status_code: '200' }, 1);
        const server = await waitFor('the POST server span', () => tracing.serverSpans().find((s) => s.name === `POST ${path}`));
        const span = tracing.span(spanName);
        assert.equal(span.spanContext().traceId, server.spanContext().traceId);
        assert.equal(span.parentSpanContext?.spanId, server.spanContext().spanId);
        assert.equal(span.attributes['tenant.id'], 'acme');
        assert.equal(span.attributes['user.id'], 'u-7');
        assert.deepEqual(tracing.problems(), []);
      });
    }

    it('keeps a tenant from upstream baggage and ignores (and counts) an invalid tenant header', async (t) => {
      const { registry, app } = await startApp(t);

      const upstream = await fetch(`${app.url}/orders/1`, { headers: { baggage: 'tenant.id=globex' } });
      assert.deepEqual(await upstream.json(), { id: '1', tenant: 'globex', user: null });
      const overridden = await fetch(`${app.url}/orders/2`, { headers: { baggage: 'tenant.id=globex', 'x-tenant-id': 'acme' } });
      assert.deepEqual(await overridden.json(), { id: '2', tenant: 'acme', user: null });
      const invalid = await fetch(`${app.url}/orders/3`, { headers: { 'x-tenant-id': 'not a tenant;drop' } });
      assert.equal(invalid.status, 200);
      assert.deepEqual(await invalid.json(), { id: '3', tenant: null, user: null });

      const counted = find(await scrape(registry), 'sightline_http_invalid_ids_total', { field: 'tenant_id' });
      assert.equal(counted?.value, 1);
      assert.ok(tracing.problems().some((p) => p.message.includes('ignoring the tenant_id')));
    });

    it('counts a request as active until its client aborts, then back to 0', async (t) => {
      const { registry, app, arrived, release } = await startApp(t);
      const abort = new AbortController();
      const pending = fetch(`${app.url}/slow`, { signal: abort.signal }).catch((error: unknown) => error);
      await arrived;
      assert.equal(find(await scrape(registry), ACTIVE, { http_request_method: 'GET' })?.value, 1);

      abort.abort();
      assert.ok((await pending) instanceof Error);
      await waitForSample(registry, ACTIVE, { http_request_method: 'GET' }, 0);
      await waitForSample(registry, DURATION, { http_route: '/slow' }, 1);
      release();

      assert.equal((await fetch(`${app.url}/orders/5`)).status, 200);
      await waitForSample(registry, DURATION, { http_route: '/orders/:id' }, 1);
      assert.equal(find(await scrape(registry), ACTIVE, { http_request_method: 'GET' })?.value, 0);
    });

    // The series cap is the registry's, whoever records: proven once, where the instrumentation records.
    if (servers === 'sightline') it('keeps one unmatched series under 10,000 requests to random unknown paths', async (t) => {
      const { registry, app } = await startApp(t);
      const total = 10_000;
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < total) {
          next += 1;
          const response = await fetch(`${app.url}/${randomUUID()}/${next}`);
          await response.arrayBuffer();
          assert.equal(response.status, 404);
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
      tracing.exporter.reset();

      await waitForSample(registry, DURATION, { http_route: 'unmatched' }, total);
      const series = (await scrape(registry)).filter((s) => s.name === DURATION);
      assert.equal(series.length, 1);
      assert.deepEqual(series[0]?.labels, {
        http_request_method: 'GET',
        http_route: 'unmatched',
        http_response_status_code: '404',
        tenant_id: '',
      });
    });
  });
}
