import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startDaemon } from './daemon.ts';

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
  const daemon = await startDaemon(
    '/usr/bin/prometheus',
    (port) => [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--enable-feature=exemplar-storage',
      '--log.level=warn',
    ],
    '/-/ready',
  );
  const { url } = daemon;
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
    stop: () => daemon.stop(),
  };
}
