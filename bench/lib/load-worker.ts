/**
 * The load generator, run as its own long-lived process on the load core:
 * for each JSON {@link LoadSpec} line on stdin, autocannon against one URL,
 * at a fixed overall rate or as fast as the server answers. It prints
 * `{"phase":"start"}` just before the load starts, then one JSON
 * {@link LoadResult} line. Latencies are recorded from autocannon's response
 * events (autocannon's own histogram keeps whole milliseconds).
 */
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { percentile } from './stats.ts';

/** What to send. */
export interface LoadSpec {
  readonly url: string;
  /** Requests per second over all connections; 0 means as fast as the server answers. */
  readonly rate: number;
  readonly seconds: number;
  readonly connections: number;
  /** Request headers (every variant gets the same, e.g. a tenant header). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What happened. */
export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  /** Latency percentiles in milliseconds. */
  readonly p50: number;
  readonly p99: number;
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  process.stdout.write('{"phase":"start"}\n');
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.seconds,
        headers: { ...spec.headers },
        ...(spec.rate > 0 ? { overallRate: spec.rate } : {}),
      },
      (error, finished) => (error ? reject(error as Error) : resolve(finished)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode < 300) latencies.push(responseTime);
    });
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    seconds,
    requestsPerSecond: result.requests.total / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') continue;
  process.stdout.write(`${JSON.stringify(await run(JSON.parse(line) as LoadSpec))}\n`);
}
