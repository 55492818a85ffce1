/** Reading samples out of Prometheus text exposition, as a scraper sees them. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

// Labels end at the first `}` outside a quoted value: an OpenMetrics exemplar (`# {trace_id="..."} 0.29`) follows the value.
const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[^}"]|"(?:[^"\\]|\\.)*")*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample line of `text`. */
export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match) throw new Error(`unparsable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(LABEL)) labels[key as string] = JSON.parse(`"${raw as string}"`) as string;
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

/** Samples named `name` whose labels include every pair of `labels`. */
export function samplesOf(text: string, name: string, labels: Readonly<Record<string, string>> = {}): Sample[] {
  return parseSamples(text).filter(
    (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => (sample.labels[key] ?? '') === value),
  );
}

/** The value of the one sample matching; `undefined` when none does, an error when several do. */
export function sampleValue(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  const found = samplesOf(text, name, labels);
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

/** Runs `promtool check metrics` on `exposition`; rejects with promtool's output on any parse error or lint problem. */
export async function promtoolCheckMetrics(exposition: string): Promise<void> {
  const child = promisify(execFile)('promtool', ['check', 'metrics']);
  child.child.stdin?.end(exposition);
  await child;
}
