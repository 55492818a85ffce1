import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { CliUsageError, SightlineError } from 'sightline/errors';
import { generateDashboards, renderDashboard } from '../dashboards/generate.ts';
import { generateRules, renderRules } from '../rules/generate.ts';
import { loadSloFile } from '../slo/load.ts';

/** Where the command writes. */
export interface CliStreams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** Exit codes: 0 done, 1 failed (bad SLO file, unwritable output), 2 wrong usage. */
export const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2 });

/** The help text. */
export const USAGE = `Usage:
  sightline dashboards --out DIR [--service NAME] [--datasource UID] [--traces-datasource UID]
      Writes the Overview and Service internals Grafana dashboards (JSON) into DIR.
      --service            the Prometheus job the dashboards open on
      --datasource         UID of the Prometheus datasource (default prometheus)
      --traces-datasource  UID of the Jaeger or Tempo datasource latency panels link to (default jaeger)

  sightline rules --slo FILE --out FILE [--interval 30s] [--max-for DURATION] [--runbook-base URL]
      Writes Prometheus recording and alerting rules for the objectives in the SLO file.
      --interval      evaluation interval of every rule group (default 30s)
      --max-for       caps every alert's "for" (tests and demos only)
      --runbook-base  where docs/alerts.md is published (default docs/alerts.md)

  sightline help
`;

/**
 * Runs the `sightline` command with `args` (without the node and script
 * paths) and returns the exit code. Never throws.
 */
export async function runCli(args: readonly string[], streams: CliStreams): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'dashboards':
        return await dashboardsCommand(rest, streams);
      case 'rules':
        return await rulesCommand(rest, streams);
      case 'help':
      case '--help':
      case '-h':
        streams.stdout.write(USAGE);
        return EXIT.ok;
      case undefined:
        throw new CliUsageError('Expected a command: dashboards or rules.');
      default:
        throw new CliUsageError(`Unknown command ${JSON.stringify(command)}; expected dashboards or rules.`);
    }
  } catch (error) {
    if (error instanceof CliUsageError) {
      streams.stderr.write(`sightline: ${error.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    streams.stderr.write(`sightline: ${error instanceof SightlineError || error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}

async function dashboardsCommand(args: readonly string[], streams: CliStreams): Promise<number> {
  const values = parse(args, {
    out: { type: 'string' },
    service: { type: 'string' },
    datasource: { type: 'string' },
    'traces-datasource': { type: 'string' },
  });
  const out = required(values, 'out');
  await mkdir(out, { recursive: true });
  for (const generated of generateDashboards({
    ...(values.service !== undefined && { service: values.service }),
    ...(values.datasource !== undefined && { datasource: values.datasource }),
    ...(values['traces-datasource'] !== undefined && { tracesDatasource: values['traces-datasource'] }),
  })) {
    const file = join(out, generated.file);
    await writeFile(file, renderDashboard(generated));
    streams.stdout.write(`wrote ${file}\n`);
  }
  return EXIT.ok;
}

async function rulesCommand(args: readonly string[], streams: CliStreams): Promise<number> {
  const values = parse(args, {
    slo: { type: 'string' },
    out: { type: 'string' },
    interval: { type: 'string' },
    'max-for': { type: 'string' },
    'runbook-base': { type: 'string' },
  });
  const sloFile = required(values, 'slo');
  const out = required(values, 'out');
  const { file } = generateRules(await loadSloFile(sloFile), {
    ...(values.interval !== undefined && { interval: values.interval }),
    ...(values['max-for'] !== undefined && { maxFor: values['max-for'] }),
    ...(values['runbook-base'] !== undefined && { runbookBase: values['runbook-base'] }),
  });
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, renderRules(file, ['sightline rules', ...args].join(' ')));
  streams.stdout.write(`wrote ${out}\n`);
  return EXIT.ok;
}

type StringOptions = Record<string, { type: 'string' }>;

function parse<O extends StringOptions>(args: readonly string[], options: O): { [K in keyof O]?: string } {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
}

function required<V extends Record<string, string | undefined>>(values: V, name: keyof V & string): string {
  const value = values[name];
  if (value === undefined || value === '') throw new CliUsageError(`Missing --${name}.`);
  return value;
}
