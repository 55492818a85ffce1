/**
 * The payments dependency: a tiny HTTP service (its own server, port 0) that
 * is slow or fails at the configured rates, and is down for a stretch of
 * every period, so the shop's circuit breaker has something to do. It runs
 * in the shop's process for the demo's sake; to the shop it is just a URL.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { MetricsRegistry } from 'sightline';
import { sightlineHttp } from 'sightline/http';
import type { PaymentsBehaviour } from './config.ts';

export interface PaymentsServer extends AsyncDisposable {
  /** Base URL; charges are `POST ${url}/charge`. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startPaymentsServer(behaviour: PaymentsBehaviour, registry: MetricsRegistry): Promise<PaymentsServer> {
  const startedAt = performance.now();
  const inOutage = (): boolean =>
    behaviour.outageMs > 0 && (performance.now() - startedAt) % behaviour.outageEveryMs >= behaviour.outageEveryMs - behaviour.outageMs;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'POST' || request.url !== '/charge') {
      response.writeHead(404).end();
      return;
    }
    // The amount is not checked: this service only decides how to fail.
    request.resume();
    await new Promise((resolve) => request.once('end', resolve));
    if (Math.random() < behaviour.slowRate) await delay(behaviour.slowMs);
    if (inOutage() || Math.random() < behaviour.failureRate) {
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"payments unavailable"}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ paymentId: crypto.randomUUID() }));
  };

  const server = createServer(
    sightlineHttp(handle, { registry, tenant: false, route: (request) => (request.url === '/charge' ? '/charge' : undefined) }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  return { url: `http://127.0.0.1:${port}`, close, [Symbol.asyncDispose]: close };
}
