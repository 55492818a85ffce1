/**
 * `sightlineExpress` on Express 5 and on Express 4 (the peer range is
 * `^4 || ^5`; Express 4 is installed beside 5 as `express4`).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import express from 'express';
import express4 from 'express4';
import { createMetricsRegistry } from 'sightline/metrics';
import { sightlineExpress } from 'sightline/express';
import { baseUrlOf, closeServer } from './support/http-server-harness.ts';
import { waitFor } from './support/poll.ts';
import { parseSamples } from './support/prometheus-text.ts';
import { describeHttpAdapter, pipeBody } from './support/http-scenarios.ts';

// Side by side, the adapter's types come from Express 5; in an Express 4 app they come from
// @types/express 4 (the published-packages test type-checks such an app). At run time both
// majors take every call this file makes.
const MAJORS = [
  ['Express 5', express],
  ['Express 4', express4 as unknown as typeof express],
] as const;

for (const [name, framework] of MAJORS) {
  describeHttpAdapter(name, async (registry, routes) => {
    const app = framework();
    app.use(sightlineExpress({ registry, user: { header: 'x-user-id' } }));
    app.use(framework.json());
    app.use('/uploads', (request, _response, next) => {
      pipeBody(request, (body) => {
        request.body = body;
        next();
      });
    });
    app.post('/uploads', (request, response) => {
      response.json(routes.upload(request.body));
    });
    const orders = framework.Router();
    orders.get('/:id', (request, response) => {
      response.json(routes.order(request.params.id));
    });
    orders.post('/', (request, response) => {
      response.json(routes.create(request.body));
    });
    app.use('/orders', orders);
    app.get('/boom', () => routes.boom());
    app.get('/slow', async (_request, response) => {
      await routes.slow();
      response.send('late');
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { url: baseUrlOf(server), close: () => closeServer(server) };
  }, { recordsThrownErrors: false });

  void describe(name, () => {
    it('keeps the mount path of a nested router when its route fails', async (t) => {
      const registry = createMetricsRegistry();
      const app = framework();
      app.use(sightlineExpress({ registry }));
      const api = framework.Router();
      api.get('/orders/:id/fail', () => {
        throw new Error('fails');
      });
      app.use('/api', api);
      app.use((_error: unknown, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
        response.status(503).end();
      });
      const server = app.listen(0, '127.0.0.1');
      await once(server, 'listening');
      t.after(() => closeServer(server));

      const response = await fetch(`${baseUrlOf(server)}/api/orders/9/fail`);
      assert.equal(response.status, 503);
      await response.arrayBuffer();
      const samples = await waitFor('the failed request to be recorded', async () => {
        const found = parseSamples(await registry.render('prometheus')).filter(
          (s) => s.name === 'http_server_request_duration_seconds_count',
        );
        return found.length > 0 ? found : undefined;
      });
      assert.deepEqual(
        samples.map((s) => [s.labels['http_route'], s.labels['http_response_status_code']]),
        [['/api/orders/:id/fail', '503']],
      );
    });
  });
}
