import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The command that regenerates the committed ops/ files. */
export const REGENERATE = 'npm run ops:generate';

/** The exact `sightline rules` command line written into the header of ops/prometheus/rules.yml. */
export const OPS_RULES_COMMAND = 'sightline rules --slo ops/slo.yml --out ops/prometheus/rules.yml';

const execFileAsync = promisify(execFile);

/** Runs a program from the repository root; resolves with its exit code and output, never rejects on a non-zero exit. */
export async function run(file: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(file, [...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
