import { once } from 'node:events';
import express from 'express';
import { sightlineExpress } from 'sightline/express';
import { baseUrlOf, closeServer } from './support/http-server-harness.ts';
import { describeHttpAdapter } from './support/http-scenarios.ts';

describeHttpAdapter('Express', async (registry, routes) => {
  const app = express();
  app.use(sightlineExpress({ registry, user: { header: 'x-user-id' } }));
  const orders = express.Router();
  orders.get('/:id', (request, response) => {
    response.json(routes.order(request.params.id));
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
});
