/**
 * `sightlineFastify` on Fastify 5 and on Fastify 4 (the peer range is
 * `^4 || ^5`; Fastify 4 is installed beside 5 as `fastify4`).
 */
import Fastify from 'fastify';
import Fastify4 from 'fastify4';
import { sightlineFastify } from 'sightline/fastify';
import { describeHttpAdapter, pipeBody } from './support/http-scenarios.ts';

// Side by side, the plugin's types come from Fastify 5; in a Fastify 4 app they come from
// Fastify 4's own. At run time both majors take every call this file makes.
const MAJORS = [
  ['Fastify 5', Fastify],
  ['Fastify 4', Fastify4 as unknown as typeof Fastify],
] as const;

for (const [name, framework] of MAJORS) {
  describeHttpAdapter(name, async (registry, routes) => {
    const app = framework();
    await app.register(sightlineFastify, { registry, user: { header: 'x-user-id' } });
    app.get<{ Params: { id: string } }>('/orders/:id', (request) => routes.order(request.params.id));
    app.post('/orders', (request) => routes.create(request.body));
    // Fastify's documented way to stream a body yourself: a parser that leaves it unread, then `request.raw`.
    app.addContentTypeParser('application/octet-stream', (_request, _payload, done) => done(null));
    app.post('/uploads', (request, reply) => {
      pipeBody(request.raw, (body) => void reply.send(routes.upload(body)));
    });
    app.get('/boom', () => routes.boom());
    app.get('/slow', async () => {
      await routes.slow();
      return 'late';
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return {
      url,
      close: async () => {
        app.server.closeAllConnections();
        await app.close();
      },
    };
  });
}
