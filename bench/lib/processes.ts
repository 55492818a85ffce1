/**
 * Child processes of the benchmark: servers and workers pinned to one core
 * with `taskset` (the orchestrator and the load generator run on the other),
 * their CPU time read from `/proc/<pid>/stat`, and the JSON lines they print.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository root: every child runs there, so package specifiers resolve as in the tests. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The core servers and workers are pinned to. */
export const SERVER_CORE = 0;
/** The core of the orchestrator and the load generator. */
export const LOAD_CORE = 1;

const hasTaskset = spawnSync('taskset', ['--version']).status === 0;
const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** Whether processes are really pinned (taskset present); the report says so. */
export function pinningAvailable(): boolean {
  return hasTaskset;
}

/** A running child with its JSON output lines. */
export interface BenchProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Writes `message` as one JSON line to the child's stdin. */
  send(message: unknown): void;
  /** The next JSON line the child prints on stdout (non-JSON lines are ignored). */
  nextMessage<T = Record<string, unknown>>(): Promise<T>;
  /** Sends SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Options of {@link startProcess}. */
export interface StartOptions {
  /** Node.js flags before the script. */
  readonly nodeArgs?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Pin to this core (default: inherit the orchestrator's). */
  readonly core?: number;
}

/** Starts `node [nodeArgs] script [args]` in the repository root. */
export function startProcess(script: string, args: readonly string[], options: StartOptions = {}): BenchProcess {
  const nodeArgs = ['--conditions=source', ...(options.nodeArgs ?? []), script, ...args];
  const child =
    options.core !== undefined && hasTaskset
      ? spawn('taskset', ['-c', String(options.core), process.execPath, ...nodeArgs], spawnOptions(options))
      : spawn(process.execPath, nodeArgs, spawnOptions(options));
  if (child.pid === undefined) throw new Error(`could not start ${script}`);
  const pending: ((line: string) => void)[] = [];
  const lines: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const reader = createInterface({ input: child.stdout });
  reader.on('line', (line) => {
    if (!line.startsWith('{')) return;
    const waiter = pending.shift();
    if (waiter) waiter(line);
    else lines.push(line);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const failure = exited.then((code) => {
    throw new Error(`${script} exited (code ${code}) before answering:\n${stderr}`);
  });
  failure.catch(() => undefined);
  return {
    child,
    pid: child.pid,
    send(message) {
      child.stdin?.write(`${JSON.stringify(message)}\n`);
    },
    nextMessage<T>() {
      const queued = lines.shift();
      if (queued !== undefined) return Promise.resolve(JSON.parse(queued) as T);
      const line = new Promise<string>((resolve) => pending.push(resolve));
      return Promise.race([line, failure]).then((text) => JSON.parse(text) as T);
    },
    async stop(graceMs = 3000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

function spawnOptions(options: StartOptions) {
  return { cwd: REPO_ROOT, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] as ['pipe', 'pipe', 'pipe'] };
}

/** CPU time (user + system, all threads) the process has used so far, in microseconds. */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command name: state is field 3, utime field 14 and stime field 15 of the full line.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) / ticksPerSecond) * 1e6;
}

/** Resident set size of the process in bytes. */
export function rssBytes(pid: number): number {
  const statm = readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ');
  return Number(statm[1]) * 4096;
}
