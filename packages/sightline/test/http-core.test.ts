import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { InvalidHttpOptionsError, tryGetTenantContext } from 'sightline';
import { createMetricsRegistry, tenantLabels } from 'sightline/metrics';
import type { MetricsRegistry } from 'sightline';
import { sightlineHttp } from 'sightline/http';
import type { NodeHttpOptions } from 'sightline/http';
import { baseUrlOf, closeServer, startHttpTracing } from './support/http-server-harness.ts';
import { waitFor } from './support/poll.ts';
import { parseSamples } from './support/prometheus-text.ts';
import type { HttpTracing } from './support/http-server-harness.ts';

type Options = Omit<NodeHttpOptions, 'registry'>;

/** A node:http app answering with the tenant it sees; `/orders/:id` is its only route. */
async function startApp(
  t: { after(fn: () => Promise<void>): void },
  options: Options,
  prepare?: (request: IncomingMessage) => void,
  registry: MetricsRegistry = createMetricsRegistry(),
) {
  const handler = sightlineHttp(
    (_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(tryGetTenantContext() ?? null));
    },
    { registry, route: (request) => (request.url?.startsWith('/orders/') ? '/orders/:id' : undefined), ...options },
  );
  const server = createServer((request, response) => {
    prepare?.(request);
    handler(request, response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => closeServer(server));
  return { registry, url: baseUrlOf(server) };
}

/** The duration count series, once they add up to `requests` (recording happens when the response finishes). */
async function durationCounts(registry: MetricsRegistry, requests: number) {
  return waitFor(`${requests} recorded requests`, async () => {
    const counts = parseSamples(await registry.render('prometheus')).filter(
      (s) => s.name === 'http_server_request_duration_seconds_count',
    );
    return counts.reduce((sum, s) => sum + s.value, 0) === requests ? counts : undefined;
  });
}

describe('HTTP middleware core', () => {
  let tracing: HttpTracing;
  before(() => {
    tracing = startHttpTracing();
  });
  after(() => tracing.close());

  it('reads the tenant from a claim of verified claims on req.auth, or from a claims function', async (t) => {
    const fromAuth = await startApp(t, { tenant: { claim: 'org' }, user: { claim: 'sub' } }, (request) => {
      Object.assign(request, { auth: { org: 'acme', sub: 'user-1' } });
    });
    assert.deepEqual(await (await fetch(`${fromAuth.url}/orders/1`)).json(), { tenantId: 'acme', userId: 'user-1' });

    const fromFunction = await startApp(t, {
      tenant: { claim: 'tid', claims: (request) => ({ tid: request.headers['x-claims-tid'] }) },
    });
    const response = await fetch(`${fromFunction.url}/orders/1`, { headers: { 'x-claims-tid': 'globex' } });
    assert.deepEqual(await response.json(), { tenantId: 'globex' });
  });

  it('reads the tenant from a function, and a function that throws counts as invalid without failing the request', async (t) => {
    const app = await startApp(t, {
      tenant: (request) => {
        if (request.url === '/orders/throw') throw new Error('no tenant here');
        return request.url?.split('/')[2];
      },
    });
    assert.deepEqual(await (await fetch(`${app.url}/orders/initech`)).json(), { tenantId: 'initech' });
    const failed = await fetch(`${app.url}/orders/throw`);
    assert.equal(failed.status, 200);
    assert.equal(await failed.json(), null);
    const invalid = parseSamples(await app.registry.render('prometheus')).find((s) => s.name === 'sightline_http_invalid_ids_total');
    assert.deepEqual(invalid?.labels, { field: 'tenant_id' });
    assert.equal(invalid.value, 1);
  });

  it('labels tenant_id through a tenant-label policy, and normalises unknown methods to _OTHER', async (t) => {
    const registry = createMetricsRegistry({ tenantLabelPolicy: tenantLabels.allowList(['acme']) });
    const app = await startApp(t, {}, undefined, registry);
    await (await fetch(`${app.url}/orders/1`, { headers: { 'x-tenant-id': 'acme' } })).arrayBuffer();
    await (await fetch(`${app.url}/orders/2`, { headers: { 'x-tenant-id': 'tenant-42' } })).arrayBuffer();
    await (await fetch(`${app.url}/orders/3`, { method: 'PURGE' })).arrayBuffer();
    const labels = (await durationCounts(app.registry, 3)).map((s) => `${s.labels['http_request_method']} ${s.labels['tenant_id']} ${s.value}`);
    assert.deepEqual(labels.sort(), ['GET acme 1', 'GET other 1', '_OTHER  1']); // no tenant: empty label
    const purge = await waitFor('the PURGE server span', () =>
      tracing.serverSpans().find((s) => s.attributes['http.request.method'] === '_OTHER'),
    );
    assert.equal(purge.name, 'HTTP /orders/:id');
  });

  it('skips ignorePaths entirely', async (t) => {
    const app = await startApp(t, { ignorePaths: ['/healthz', /^\/internal\//] });
    await (await fetch(`${app.url}/healthz?probe=1`)).arrayBuffer();
    await (await fetch(`${app.url}/internal/ready`)).arrayBuffer();
    await (await fetch(`${app.url}/orders/1`)).arrayBuffer();
    assert.deepEqual((await durationCounts(app.registry, 1)).map((s) => s.labels['http_route']), ['/orders/:id']);
  });

  it('rejects unusable options with typed errors naming the option', () => {
    const registry = createMetricsRegistry();
    const handler = () => {};
    const cases: [unknown, string][] = [
      [{ registry: {} }, 'registry'],
      [{ registry, tenant: { header: 'x tenant' } }, 'tenant.header'],
      [{ registry, tenant: { claim: '' } }, 'tenant.claim'],
      [{ registry, user: 'x-user-id' }, 'user'],
      [{ registry, ignorePaths: ['healthz'] }, 'ignorePaths[0]'],
      [{ registry, unmatchedRoute: '' }, 'unmatchedRoute'],
    ];
    for (const [options, option] of cases) {
      assert.throws(
        () => sightlineHttp(handler, options as NodeHttpOptions),
        (error: unknown) =>
          error instanceof InvalidHttpOptionsError &&
          error.code === 'SIGHTLINE_INVALID_HTTP_OPTIONS' &&
          error.option === option &&
          error.message.includes(`\`${option}\``),
        option,
      );
    }
  });
});
