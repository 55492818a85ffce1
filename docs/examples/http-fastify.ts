// Fastify: register the plugin; its hooks apply to every route, 404s included.
import Fastify from 'fastify';
import { createMetricsRegistry } from 'sightline/metrics';
import { sightlineFastify } from 'sightline/fastify';

const registry = createMetricsRegistry();
const app = Fastify();

await app.register(sightlineFastify, {
  registry,
  tenant: { header: 'x-tenant-id' }, // the default, spelled out
});

app.get<{ Params: { id: string } }>('/orders/:id', (request) => ({ id: request.params.id }));

await app.listen({ port: 3000 });
