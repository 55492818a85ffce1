/**
 * Runs a fixture app (test/fixtures/) in a child Node process that loads
 * Sightline from source, with exactly the environment given (the tests pass
 * only OTEL_* variables). The fixture reports on stdout with one JSON object
 * per line; `nextMessage` waits for the next one. Other stdout lines (a
 * console exporter's output) are kept apart, in `stdout()`. The child is killed on
 * dispose if it is still running. `spawnApp` runs any app the same way (the
 * published-packages test runs apps installed outside the repository).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ChildApp extends AsyncDisposable {
  readonly process: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** The stdout lines so far that were not JSON messages. */
  stdout(): string;
  /** The next JSON line written to stdout (bounded wait, default 30 s). */
  nextMessage<T = Record<string, unknown>>(timeoutMillis?: number): Promise<T>;
  /** Resolves when the process has exited and its output is fully read (bounded wait, default 30 s). */
  exited(timeoutMillis?: number): Promise<ChildExit>;
}

export interface ChildAppOptions {
  /** Environment of the child, used as is. */
  readonly env: Readonly<Record<string, string>>;
  /** Extra Node flags, e.g. `['--import', 'sightline/register']`. */
  readonly execArgv?: readonly string[];
  /** Arguments after the script. */
  readonly args?: readonly string[];
}

/** Starts `test/fixtures/<fixture>` with `--conditions=source` and the given flags. */
export function startChildApp(fixture: string, options: ChildAppOptions): ChildApp {
  const script = fileURLToPath(new URL(`../fixtures/${fixture}`, import.meta.url));
  return spawnApp(fixture, process.execPath, ['--conditions=source', ...(options.execArgv ?? []), script, ...(options.args ?? [])], {
    env: options.env,
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
  });
}

/** Where and how {@link spawnApp} runs a command. */
export interface SpawnOptions {
  /** Environment of the child, used as is. */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

/**
 * Runs `command` (any Node.js binary and its arguments, e.g. an app installed
 * outside the repository) as a {@link ChildApp}; `name` labels its errors.
 */
export function spawnApp(name: string, command: string, args: readonly string[], options: SpawnOptions): ChildApp {
  const child = spawn(command, args, { env: { ...options.env }, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let otherStdout = '';
  const messages: unknown[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    let newline = stdout.indexOf('\n');
    while (newline >= 0) {
      const line = stdout.slice(0, newline).trim();
      stdout = stdout.slice(newline + 1);
      if (line.startsWith('{') && line.endsWith('}')) messages.push(JSON.parse(line));
      else otherStdout += `${line}\n`;
      newline = stdout.indexOf('\n');
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  let exit: ChildExit | undefined;
  const exitPromise = new Promise<ChildExit>((resolve) => {
    // 'close', not 'exit': it comes after stdout and stderr are fully read.
    child.once('close', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });

  const until = async <T>(what: string, timeoutMillis: number, ready: () => T | undefined): Promise<T> => {
    const deadline = Date.now() + timeoutMillis;
    for (;;) {
      const value = ready();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`${name}: timed out waiting for ${what}; stderr:\n${stderr}`);
      await delay(20);
    }
  };

  return {
    process: child,
    stderr: () => stderr,
    stdout: () => otherStdout,
    nextMessage: <T>(timeoutMillis = 30_000) =>
      until('a message', timeoutMillis, () => {
        if (messages.length > 0) return messages.shift() as T;
        if (exit !== undefined) throw new Error(`${name} exited (${JSON.stringify(exit)}) before writing a message; stderr:\n${stderr}`);
        return undefined;
      }),
    exited: (timeoutMillis = 30_000) => until('exit', timeoutMillis, () => exit),
    [Symbol.asyncDispose]: async () => {
      if (exit === undefined) child.kill('SIGKILL');
      await exitPromise;
    },
  };
}
