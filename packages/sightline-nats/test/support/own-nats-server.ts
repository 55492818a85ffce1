/**
 * A NATS server of the test's own (JetStream, file store in a temporary
 * directory, a free port), for tests that must kill, restart or configure a
 * server. The shared server on 4222 is never touched.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { freePort } from '../../../sightline/test/support/free-port.ts';
import { until } from '../../../sightline/test/support/poll.ts';

const NATS_SERVER = '/usr/sbin/nats-server';

/** A running server; `kill9` and `restart` keep the port and the store. */
export interface OwnNatsServer {
  readonly url: string;
  readonly port: number;
  /** Kills the server with SIGKILL and waits for it to exit. */
  kill9(): Promise<void>;
  /** Starts it again on the same port and store, and waits until it accepts connections. */
  restart(): Promise<void>;
}

/** Options of {@link startOwnNatsServer}. */
export interface OwnNatsServerOptions {
  /** The server's `max_payload` in bytes. Default: the server's (1 MiB). */
  readonly maxPayload?: number;
}

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Starts a server; it is killed and its store removed in `t.after`. */
export async function startOwnNatsServer(t: TestContext, options: OwnNatsServerOptions = {}): Promise<OwnNatsServer> {
  const dir = await mkdtemp(join(tmpdir(), 'sightline-nats-'));
  const port = await freePort();
  const config = join(dir, 'nats.conf');
  await writeFile(
    config,
    [`listen: 127.0.0.1:${port}`, ...(options.maxPayload === undefined ? [] : [`max_payload: ${options.maxPayload}`]), `jetstream { store_dir: "${join(dir, 'store')}" }`, ''].join('\n'),
  );
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(NATS_SERVER, ['-c', config], { stdio: 'ignore' });
    await until(() => accepts(port), `nats-server on port ${port}`, 10_000);
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  t.after(async () => {
    await stop();
    await rm(dir, { recursive: true, force: true });
  });
  return { url: `nats://127.0.0.1:${port}`, port, kill9: stop, restart: start };
}
