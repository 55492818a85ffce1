import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { once } from 'node:events';
import { sightlineHttp } from 'sightline/http';
import { baseUrlOf, closeServer } from './support/http-server-harness.ts';
import { describeHttpAdapter, pipeBody } from './support/http-scenarios.ts';

const ORDER = /^\/orders\/([^/?]+)(?:\?.*)?$/;

function routeOf(request: IncomingMessage): string | undefined {
  if (ORDER.test(request.url ?? '')) return '/orders/:id';
  if (request.url === '/orders' || request.url === '/uploads') return request.url;
  if (request.url === '/boom' || request.url === '/slow') return request.url;
  return undefined;
}

describeHttpAdapter('node:http', async (registry, routes) => {
  const handler = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const order = ORDER.exec(request.url ?? '');
    if (order) {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(routes.order(order[1] as string)));
    } else if (request.url === '/orders' && request.method === 'POST') {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(routes.create(JSON.parse(Buffer.concat(chunks).toString('utf8')))));
      });
    } else if (request.url === '/uploads' && request.method === 'POST') {
      pipeBody(request, (body) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(routes.upload(body)));
      });
    } else if (request.url === '/boom') {
      routes.boom();
    } else if (request.url === '/slow') {
      await routes.slow();
      response.end('late');
    } else {
      response.statusCode = 404;
      response.end();
    }
  };
  const server = createServer(sightlineHttp(handler, { registry, user: { header: 'x-user-id' }, route: routeOf }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: baseUrlOf(server), close: () => closeServer(server) };
});
