/**
 * The shop and the worker as child processes of the demo: started with
 * Sightline's zero-code entry, their stdout read line by line (each prints a
 * ready line), their stderr passed through with a prefix, stopped with
 * SIGTERM so they flush before they exit.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const MAX_KEPT_LINES = 200;

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface DemoChild {
  readonly name: string;
  readonly process: ChildProcess;
  /** The first stdout line matching `pattern`, its groups; rejects after `timeoutMs` or when the child exits first. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** Sends SIGTERM and waits (at most `timeoutMs`, then SIGKILL) for the exit. */
  stop(timeoutMs: number): Promise<ChildExit>;
  readonly exited: Promise<ChildExit>;
}

/** Starts `examples/shop/src/<script>` with `--conditions=source --import sightline/register`. */
export function startChild(name: string, script: string, env: Readonly<Record<string, string>>): DemoChild {
  const path = fileURLToPath(new URL(`../${script}`, import.meta.url));
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'sightline/register', path], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    // The ready lines come first; the rest (the shop's JSON logs) is not kept.
    if (lines.length < MAX_KEPT_LINES) lines.push(line);
    for (const waiter of waiters) waiter();
  });
  createInterface({ input: child.stderr }).on('line', (line) => process.stderr.write(`[${name}] ${line}\n`));
  const exited = new Promise<ChildExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const waitForLine = (pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        for (const line of lines) {
          const match = pattern.exec(line);
          if (match !== null) {
            done();
            resolve(match);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${name} did not print ${String(pattern)} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      void exited.then((exit) => {
        done();
        reject(new Error(`${name} exited (code ${exit.code}, signal ${exit.signal}) before printing ${String(pattern)}`));
      });
      waiters.add(check);
      check();
    });

  const stop = async (timeoutMs: number): Promise<ChildExit> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  return { name, process: child, waitForLine, stop, exited };
}

/** Polls `url` until it answers 200, at most `timeoutMs`. */
export async function waitForHealthy(url: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer';
  while (performance.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      if (response.ok) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} was not healthy within ${timeoutMs} ms (${last})`);
}
