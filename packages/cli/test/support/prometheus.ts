import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** A Prometheus started for a test, on a free port, with its data in `dir`. */
export interface TestPrometheus {
  readonly url: string;
  /** Instant query; returns the result vector (throws on a query error). */
  query(expr: string): Promise<readonly { metric: Record<string, string>; value: [number, string] }[]>;
  /** Prometheus's own view of its alerts. */
  alerts(): Promise<readonly { labels: Record<string, string>; state: string }[]>;
  /** GET `path` on the HTTP API and return `data`. */
  api<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

/** Starts /usr/bin/prometheus with `config` (YAML text) written next to `files` in `dir`; resolves once it is ready. */
export async function startPrometheus(dir: string, config: string, files: Readonly<Record<string, string>>): Promise<TestPrometheus> {
  for (const [name, text] of Object.entries({ ...files, 'prometheus.yml': config })) await writeFile(join(dir, name), text);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    '/usr/bin/prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--enable-feature=exemplar-storage',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const stop = () => stopChild(child);
  try {
    await poll('Prometheus to become ready', 30_000, async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${log}`);
      const response = await fetch(`${url}/-/ready`).catch(() => undefined);
      return response?.ok === true ? true : undefined;
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? response.status}`);
    return body.data;
  };
  return {
    url,
    api,
    query: async (expr) =>
      (await api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(`/api/v1/query?query=${encodeURIComponent(expr)}`)).result,
    alerts: async () => (await api<{ alerts: { labels: Record<string, string>; state: string }[] }>('/api/v1/alerts')).alerts,
    stop,
  };
}

/** Calls `check` until it returns a value other than undefined, at most `timeoutMs`; returns that value. */
export async function poll<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs}ms waiting for ${what}`, { cause: lastError });
    }
    // Prometheus scrapes and evaluates every second; asking more often than that learns nothing new.
    await delay(250);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
