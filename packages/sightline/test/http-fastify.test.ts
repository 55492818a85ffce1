import Fastify from 'fastify';
import { sightlineFastify } from 'sightline/fastify';
import { describeHttpAdapter, pipeBody } from './support/http-scenarios.ts';

describeHttpAdapter('Fastify', async (registry, routes) => {
  const app = Fastify();
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
