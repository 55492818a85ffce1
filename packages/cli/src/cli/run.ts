import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { CliUsageError, SightlineError } from 'sightline/errors';
import { generateDashboards, renderDashboard } from '../dashboards/generate.ts';
import { TRACES_BACKENDS } from '../dashboards/options.ts';
import type { TracesBackend } from '../dashboards/options.ts';
import { generateRules, renderRules } from '../rules/generate.ts';
import { loadSloFile } from '../slo/load.ts';
import type { SloFile } from '../slo/schema.ts';
import { resolveThresholds } from '../slo/thresholds.ts';
import type { Thresholds } from '../slo/thresholds.ts';
import { devCommand } from './dev-command.ts';

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
                       [--traces jaeger|tempo] [--slo FILE]
      Writes the Overview, Service internals and SLO Grafana dashboards (JSON) into DIR.
      --service            the Prometheus job the dashboards open on (and the SLO dashboard's service)
      --datasource         UID of the Prometheus datasource (default prometheus)
      --traces-datasource  UID of the traces datasource latency panels link to (default jaeger)
      --traces             what that datasource is, jaeger or tempo (default jaeger)
      --slo                the SLO file whose thresholds (of --service) panels draw (default: the defaults)

  sightline rules --slo FILE --out FILE [--interval 30s] [--max-for DURATION] [--runbook-base URL]
      Writes Prometheus recording and alerting rules for the objectives in the SLO file.
      --interval      evaluation interval of every rule group (default 30s)
      --max-for       caps every alert's "for" (tests and demos only)
      --runbook-base  the http(s) URL where docs/alerts.md is published (overrides the SLO
                      file's runbookBase; without either, links are relative: docs/alerts.md)

  sightline dev [--port 4318] [--host 127.0.0.1] [--max-traces 500] [--quiet]
      Runs a local trace viewer (no Docker, no collector): an OTLP/HTTP JSON receiver that
      keeps recent traces in memory, shows them at its URL and prints each one as a tree.
      Point a service at it with OTEL_EXPORTER_OTLP_PROTOCOL=http/json and
      OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318. Runs until interrupted.

  sightline help
`;

/**
 * Runs the `sightline` command with `args` (without the node and script
 * paths) and returns the exit code. Never throws. `signal` ends a command
 * that runs until interrupted (`dev`).
 */
export async function runCli(args: readonly string[], streams: CliStreams, signal: AbortSignal = new AbortController().signal): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'dashboards':
        return await dashboardsCommand(rest, streams);
      case 'rules':
        return await rulesCommand(rest, streams);
      case 'dev':
        await devCommand(devOptions(rest), streams, signal);
        return EXIT.ok;
      case 'help':
      case '--help':
      case '-h':
        streams.stdout.write(USAGE);
        return EXIT.ok;
      case undefined:
        throw new CliUsageError('Expected a command: dashboards, rules or dev.');
      default:
        throw new CliUsageError(`Unknown command ${JSON.stringify(command)}; expected dashboards, rules or dev.`);
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
    traces: { type: 'string' },
    slo: { type: 'string' },
  });
  const out = required(values, 'out');
  const traces = values.traces;
  if (traces !== undefined && !isTracesBackend(traces)) {
    throw new CliUsageError(`Expected --traces to be one of ${TRACES_BACKENDS.join(', ')}, got ${JSON.stringify(traces)}.`);
  }
  const thresholds = values.slo === undefined ? undefined : thresholdsOf(await loadSloFile(values.slo), values.slo, values.service);
  const dashboards = generateDashboards({
    ...(values.service !== undefined && { service: values.service }),
    ...(values.datasource !== undefined && { datasource: values.datasource }),
    ...(values['traces-datasource'] !== undefined && { tracesDatasource: values['traces-datasource'] }),
    ...(traces !== undefined && { tracesBackend: traces }),
    ...(thresholds !== undefined && { thresholds }),
  });
  await mkdir(out, { recursive: true });
  for (const generated of dashboards) {
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
  const { file, notes } = generateRules(await loadSloFile(sloFile), {
    ...(values.interval !== undefined && { interval: values.interval }),
    ...(values['max-for'] !== undefined && { maxFor: values['max-for'] }),
    ...(values['runbook-base'] !== undefined && { runbookBase: values['runbook-base'] }),
  });
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, renderRules(file, ['sightline rules', ...args].join(' ')));
  streams.stdout.write(`wrote ${out}\n`);
  for (const note of notes) streams.stderr.write(`sightline: note: ${note}\n`);
  return EXIT.ok;
}

function isTracesBackend(text: string): text is TracesBackend {
  return (TRACES_BACKENDS as readonly string[]).includes(text);
}

/** The thresholds of the SLO file's service whose name or job is `service` (or of its only service). */
function thresholdsOf(slo: SloFile, file: string, service: string | undefined): Thresholds {
  const names = slo.services.map((s) => s.name);
  const found =
    service === undefined
      ? slo.services.length === 1
        ? slo.services[0]
        : undefined
      : slo.services.find((s) => s.name === service || (s.job ?? s.name) === service);
  if (found === undefined) {
    throw new CliUsageError(
      service === undefined
        ? `${file} has several services (${names.join(', ')}); pick one with --service.`
        : `Expected --service to name a service or job of ${file} (${names.join(', ')}), got ${JSON.stringify(service)}.`,
    );
  }
  return resolveThresholds(found.thresholds);
}

function devOptions(args: readonly string[]): { host: string; port: number; maxTraces: number; quiet: boolean } {
  let values: { host?: string; port?: string; 'max-traces'?: string; quiet?: boolean };
  try {
    values = parseArgs({
      args: [...args],
      options: { host: { type: 'string' }, port: { type: 'string' }, 'max-traces': { type: 'string' }, quiet: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  return {
    host: values.host ?? '127.0.0.1',
    port: wholeNumber(values.port ?? '4318', '--port', 0, 65_535),
    maxTraces: wholeNumber(values['max-traces'] ?? '500', '--max-traces', 1, 1_000_000),
    quiet: values.quiet ?? false,
  };
}

function wholeNumber(text: string, name: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new CliUsageError(`Expected ${name} to be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}.`);
  }
  return value;
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
