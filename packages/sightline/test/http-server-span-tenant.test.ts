/**
 * The server span carries the request's tenant and user: it starts before
 * the middleware resolves them, so the middleware sets them on it.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createMetricsRegistry } from 'sightline/metrics';
import { sightlineHttp } from 'sightline/http';
import { baseUrlOf, closeServer, startHttpTracing } from './support/http-server-harness.ts';
import { waitFor } from './support/poll.ts';
import type { HttpTracing } from './support/http-server-harness.ts';

void describe('server span tenant', () => {
  let tracing: HttpTracing;
  let url: string;
  const server = createServer(
    sightlineHttp((_request, response) => response.end('ok'), {
      registry: createMetricsRegistry({ defaultMetrics: false }),
      user: { header: 'x-user-id' },
      route: () => '/things',
    }),
  );
  before(async () => {
    tracing = startHttpTracing();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `${baseUrlOf(server)}/things`;
  });
  after(async () => {
    await closeServer(server);
    await tracing.close();
  });

  async function serverSpanFor(headers: Record<string, string>): Promise<Readonly<Record<string, unknown>>> {
    tracing.exporter.reset();
    await (await fetch(url, { headers })).text();
    return (await waitFor('the server span', () => tracing.serverSpans()[0])).attributes;
  }

  void it('has tenant.id and user.id from the request', async () => {
    const attributes = await serverSpanFor({ 'x-tenant-id': 'acme', 'x-user-id': 'u-1' });
    assert.equal(attributes['tenant.id'], 'acme');
    assert.equal(attributes['user.id'], 'u-1');
  });

  void it('takes the header tenant over one from incoming baggage', async () => {
    const attributes = await serverSpanFor({ 'x-tenant-id': 'acme', baggage: 'tenant.id=globex' });
    assert.equal(attributes['tenant.id'], 'acme');
  });

  void it('has no tenant.id when the request names none', async () => {
    const attributes = await serverSpanFor({});
    assert.equal(attributes['tenant.id'], undefined);
  });
});
