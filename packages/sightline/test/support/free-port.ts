import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP port of 127.0.0.1 that was free a moment ago, for programs that take
 * their port as a number rather than listening on 0 (nats-server, Prometheus,
 * the W3C harness, a child app's metrics port).
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
