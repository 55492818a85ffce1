// Fastify: register the plugin; its hooks apply to every route, 404s included.
import Fastify from 'fastify';
import { sightlineFastify } from 'sightline/fastify';

const app = Fastify();

await app.register(sightlineFastify, {
  tenant: { header: 'x-tenant-id' }, // the default, spelled out
});

app.get<{ Params: { id: string } }>('/orders/:id', (request) => ({ id: request.params.id }));

await app.listen({ port: 3000 });
