// Hono on @hono/node-server: use() the middleware before the routes.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { sightlineHono } from 'sightline/hono';

const app = new Hono();

app.use(
  sightlineHono({
    // Any function of the request works; here a subdomain names the tenant.
    tenant: (c) => new URL(c.req.url).hostname.split('.')[0],
  }),
);
app.get('/orders/:id', (c) => c.json({ id: c.req.param('id') }));

serve({ fetch: app.fetch, port: 3000 });
