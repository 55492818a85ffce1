/**
 * A small harness for the benchmarks: each case runs the same number of
 * iterations after a warm-up, several rounds interleaved with the baseline,
 * and is reported as a ratio to the baseline's median time, so the figures
 * compare code with code on the same machine in the same run.
 */
import { performance } from 'node:perf_hooks';

export interface BenchCase {
  readonly name: string;
  /** One iteration; may be async. */
  readonly run: () => unknown;
}

async function timeRound(run: () => unknown, iterations: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) {
    const result = run();
    if (result instanceof Promise) await result;
  }
  return performance.now() - start;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Runs `baseline` and `cases` in interleaved rounds and prints each case's time per iteration and ratio. */
export async function compare(title: string, baseline: BenchCase, cases: readonly BenchCase[], iterations = 20_000, rounds = 7): Promise<void> {
  const all = [baseline, ...cases];
  for (const benchCase of all) await timeRound(benchCase.run, Math.min(iterations, 2_000));
  const times = new Map<string, number[]>(all.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const benchCase of all) times.get(benchCase.name)?.push(await timeRound(benchCase.run, iterations));
  }
  const baseMedian = median(times.get(baseline.name) ?? []);
  process.stdout.write(`\n${title} (${iterations} iterations x ${rounds} rounds, median)\n`);
  for (const benchCase of all) {
    const caseMedian = median(times.get(benchCase.name) ?? []);
    const perIteration = (caseMedian / iterations) * 1e3;
    process.stdout.write(`  ${benchCase.name.padEnd(56)} ${perIteration.toFixed(3).padStart(9)} µs/op  ${(caseMedian / baseMedian).toFixed(2).padStart(7)}x baseline\n`);
  }
}
