// A plain node:http server measured by sightline/http.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sightlineHttp } from 'sightline/http';

const ORDER = /^\/orders\/([^/?]+)/;

function handle(request: IncomingMessage, response: ServerResponse): void {
  const order = ORDER.exec(request.url ?? '');
  if (order === null) {
    response.statusCode = 404;
    response.end();
    return;
  }
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify({ id: order[1] }));
}

const server = createServer(
  sightlineHttp(handle, {
    // Your router knows the template; return undefined when nothing matched.
    route: (request) => (ORDER.test(request.url ?? '') ? '/orders/:id' : undefined),
    ignorePaths: ['/healthz'],
  }),
);
server.listen(3000);
