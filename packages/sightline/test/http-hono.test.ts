import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { sightlineHono } from 'sightline/hono';
import { baseUrlOf, closeServer } from './support/http-server-harness.ts';
import { describeHttpAdapter, pipeBody } from './support/http-scenarios.ts';

describeHttpAdapter('Hono', async (registry, routes) => {
  const app = new Hono();
  app.use(sightlineHono({ registry, user: { header: 'x-user-id' } }));
  app.get('/orders/:id', (c) => c.json(routes.order(c.req.param('id'))));
  app.post('/orders', async (c) => c.json(routes.create(await c.req.json())));
  app.post('/uploads', (c) => {
    const { incoming } = c.env as HttpBindings;
    return new Promise<Response>((resolve) => pipeBody(incoming, (body) => resolve(c.json(routes.upload(body)))));
  });
  app.get('/boom', () => routes.boom());
  app.get('/slow', async (c) => {
    await routes.slow();
    return c.text('late');
  });
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started as Server));
  });
  return { url: baseUrlOf(server), close: () => closeServer(server) };
});
