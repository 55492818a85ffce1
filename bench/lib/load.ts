/** Drives the load generator process ({@link ./load-worker.ts}) and measures a server's CPU time around each run. */
import { cpuMicros, startProcess } from './processes.ts';
import type { BenchProcess } from './processes.ts';
import type { LoadResult, LoadSpec } from './load-worker.ts';

/** A load run plus the CPU time the server used while it ran. */
export interface MeasuredLoad extends LoadResult {
  /** Server CPU time (user + system) during the run, in microseconds. */
  readonly serverCpuMicros: number;
  /** Server CPU time per completed request, in microseconds. */
  readonly cpuPerRequest: number;
}

/** The load generator: one process (on the orchestrator's core) for many runs. */
export interface LoadGenerator extends AsyncDisposable {
  /** Sends `spec` to the server and reads the server's CPU time from just before the load starts to just after it ends. */
  measure(serverPid: number, spec: LoadSpec): Promise<MeasuredLoad>;
}

/** Starts the load generator process. */
export function startLoadGenerator(): LoadGenerator {
  const load: BenchProcess = startProcess('bench/lib/load-worker.ts', []);
  return {
    async measure(serverPid, spec) {
      load.send(spec);
      await load.nextMessage();
      const before = cpuMicros(serverPid);
      const result = await load.nextMessage<LoadResult>();
      const serverCpuMicros = cpuMicros(serverPid) - before;
      return { ...result, serverCpuMicros, cpuPerRequest: serverCpuMicros / Math.max(1, result.requests) };
    },
    [Symbol.asyncDispose]: () => load.stop(),
  };
}

export type { LoadResult, LoadSpec } from './load-worker.ts';
