import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from '../../../sightline/test/support/free-port.ts';

/** A server program started for a test on a free port of 127.0.0.1. */
export interface Daemon {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** SIGTERM, then SIGKILL after 10 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `program` with the arguments `args(port)` builds for a free port,
 * and resolves once GET `readyPath` answers 2xx. Rejects (and stops the
 * program) with the tail of its stderr if it exits or is not ready in 30 s.
 */
export async function startDaemon(program: string, args: (port: number) => readonly string[], readyPath: string): Promise<Daemon> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(program, [...args(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const stop = () => stopChild(child);
  try {
    await poll(`${program} to become ready`, 30_000, async () => {
      if (child.exitCode !== null) throw new Error(`${program} exited with ${child.exitCode}: ${log}`);
      const response = await fetch(`${url}${readyPath}`).catch(() => undefined);
      return response?.ok === true ? true : undefined;
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
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

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
