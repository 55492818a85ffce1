import { startTraceViewer } from '../dev/viewer-server.ts';
import { watchSettledTraces } from '../dev/settled-traces.ts';
import { renderTraceText } from '../dev/trace-tree.ts';
import type { CliStreams } from './run.ts';

/** What `sightline dev` was asked for. */
export interface DevCommandOptions {
  readonly host: string;
  readonly port: number;
  readonly maxTraces: number;
  readonly quiet: boolean;
}

/**
 * `sightline dev`: runs the local trace viewer until `signal` aborts, printing
 * each trace as a tree once it has settled (unless `quiet`).
 */
export async function devCommand(options: DevCommandOptions, streams: CliStreams, signal: AbortSignal): Promise<void> {
  const viewer = await startTraceViewer({ host: options.host, port: options.port, limits: { maxTraces: options.maxTraces } });
  streams.stdout.write(
    `Sightline trace viewer on ${viewer.url} (traces in the browser; Ctrl-C stops it)\n` +
      `Send traces to it with:\n` +
      `  OTEL_EXPORTER_OTLP_PROTOCOL=http/json OTEL_EXPORTER_OTLP_ENDPOINT=${viewer.url}\n\n`,
  );
  const stopWatching = options.quiet
    ? () => undefined
    : watchSettledTraces(viewer.store, (trace) => streams.stdout.write(`${renderTraceText(trace)}\n\n`));
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  stopWatching();
  await viewer.close();
}
