/**
 * Prints the top self-time functions of V8 CPU profiles (`node --cpu-prof`),
 * the view that says where a hot path spends its time. With several files
 * (one per process of a variant) the samples are added up.
 *
 * Usage: node bench/lib/profile-summary.ts [--top N] FILE.cpuprofile...
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './processes.ts';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time in microseconds per function (`name file:line`), summed over `profiles`. */
export function selfTimes(profiles: readonly Profile[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const profile of profiles) {
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    profile.samples.forEach((id, i) => {
      const frame = byId.get(id)?.callFrame;
      if (frame === undefined) return;
      const where = frame.url === '' ? '' : ` ${shorten(frame.url)}:${frame.lineNumber + 1}`;
      const key = `${frame.functionName || '(anonymous)'}${where}`;
      totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
  }
  return totals;
}

function shorten(url: string): string {
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  return path.startsWith(REPO_ROOT) ? relative(REPO_ROOT, path).replace(/^node_modules\//, '') : path;
}

const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '25' } }, allowPositionals: true });
if (positionals.length > 0) {
  const profiles = await Promise.all(positionals.map(async (file) => JSON.parse(await readFile(file, 'utf8')) as Profile));
  const totals = selfTimes(profiles);
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  const idle = (totals.get('(idle)') ?? 0) + (totals.get('(program)') ?? 0);
  process.stdout.write(`total ${(all / 1000).toFixed(0)} ms, busy ${((all - idle) / 1000).toFixed(0)} ms\n`);
  for (const [name, micros] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
    process.stdout.write(`${((micros / Math.max(1, all - idle)) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(1).padStart(8)} ms  ${name}\n`);
  }
}
