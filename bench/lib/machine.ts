/** A description of the machine the benchmark ran on, for the report. */
import { cpus, loadavg, release, totalmem } from 'node:os';
import { pinningAvailable } from './processes.ts';

/** What the report says about the machine. */
export interface MachineDescription {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly loadAverage: string;
  readonly pinned: boolean;
}

/** Reads the CPU model, core count, memory, kernel, Node.js version and the load average at the start. */
export function describeMachine(): MachineDescription {
  const all = cpus();
  return {
    cpu: all[0]?.model.trim() ?? 'unknown',
    cores: all.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: `Linux ${release()}`,
    node: process.version,
    loadAverage: loadavg().map((l) => l.toFixed(2)).join(' '),
    pinned: pinningAvailable(),
  };
}
