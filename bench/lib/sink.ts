/** Starts and reads the OTLP sink process ({@link ./otlp-sink.ts}). */
import { startProcess } from './processes.ts';
import type { BenchProcess } from './processes.ts';

/** A running OTLP sink. */
export interface OtlpSink extends AsyncDisposable {
  /** `http://127.0.0.1:<port>`: the value of `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly endpoint: string;
  /** Export requests and bytes received so far. */
  stats(): Promise<{ requests: number; bytes: number }>;
  close(): Promise<void>;
}

/** Starts the sink on the orchestrator's core. */
export async function startOtlpSink(): Promise<OtlpSink> {
  const sink: BenchProcess = startProcess('bench/lib/otlp-sink.ts', []);
  const { port } = await sink.nextMessage<{ port: number }>();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    async stats() {
      const response = await fetch(`${endpoint}/stats`);
      return (await response.json()) as { requests: number; bytes: number };
    },
    close: () => sink.stop(),
    [Symbol.asyncDispose]: () => sink.stop(),
  };
}
