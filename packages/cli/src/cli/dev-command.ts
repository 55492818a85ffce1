import { startTraceViewer } from '../dev/viewer-server.ts';
import type { TraceViewer } from '../dev/viewer-server.ts';
import { watchSettledTraces } from '../dev/settled-traces.ts';
import { renderTraceText } from '../dev/trace-tree.ts';
import type { CliStreams } from './run.ts';

/** What `sightline dev` was asked for. */
export interface DevCommandOptions {
  readonly host: string;
  readonly port: number;
  readonly grpcPort: number | false;
  readonly maxTraces: number;
  readonly maxLogs: number;
  readonly maxBodyBytes: number;
  readonly scrape: readonly string[];
  readonly scrapeIntervalMillis: number;
  readonly quiet: boolean;
}

/** The variables a service needs to send everything to `viewer`, as lines to paste. */
export function variablesToPaste(viewer: TraceViewer): string {
  const lines = [
    `Send traces, logs and metrics to it (paste into the service's environment):`,
    `  export OTEL_EXPORTER_OTLP_ENDPOINT=${viewer.url}`,
    `  export OTEL_BSP_SCHEDULE_DELAY=200       # export spans within 0.2 s (the default waits 5 s)`,
    `  export OTEL_LOGS_EXPORTER=otlp`,
    `  export OTEL_METRICS_EXPORTER=otlp`,
    `  export OTEL_METRIC_EXPORT_INTERVAL=2000   # push metrics every 2 s (the default waits 60 s)`,
  ];
  if (viewer.grpcUrl !== undefined) lines.push(`or over gRPC:`, `  export OTEL_EXPORTER_OTLP_PROTOCOL=grpc OTEL_EXPORTER_OTLP_ENDPOINT=${viewer.grpcUrl}`);
  return `${lines.join('\n')}\n`;
}

/**
 * `sightline dev`: runs the local viewer until `signal` aborts, printing
 * each trace as a tree once it has settled (unless `quiet`) and the first
 * refused request of each kind.
 */
export async function devCommand(options: DevCommandOptions, streams: CliStreams, signal: AbortSignal): Promise<void> {
  const viewer = await startTraceViewer({
    host: options.host,
    port: options.port,
    grpcPort: options.grpcPort,
    limits: { maxTraces: options.maxTraces, maxLogs: options.maxLogs, maxBodyBytes: options.maxBodyBytes },
    ...(options.scrape.length > 0 && {
      scrape: {
        urls: options.scrape,
        intervalMillis: options.scrapeIntervalMillis,
        onFailure: (url: string, reason: string) => streams.stderr.write(`sightline dev: cannot scrape ${url}: ${reason} (retrying)\n`),
      },
    }),
  });
  streams.stdout.write(`Sightline viewer on ${viewer.url} (traces, logs and metrics in the browser; Ctrl-C stops it)\n${variablesToPaste(viewer)}\n`);
  const reportedKinds = new Set<string>();
  const stopListening = viewer.ingest.listen({
    onRejected: (rejection) => {
      const kind = `${rejection.status} ${rejection.transport}`;
      if (reportedKinds.has(kind)) return;
      reportedKinds.add(kind);
      streams.stderr.write(
        `sightline dev: refused an OTLP ${rejection.transport} request (${rejection.status}) to ${rejection.signal ?? 'an unknown signal'}: ${rejection.reason} ` +
          `(further refusals like it are only counted: ${viewer.url}/api/status)\n`,
      );
    },
  });
  const stopWatching = options.quiet
    ? () => undefined
    : watchSettledTraces(viewer.store, {
        onSettled: (trace) => streams.stdout.write(`${renderTraceText(trace)}\n  ${viewer.url}/traces/${trace.traceId}\n\n`),
        onLate: (trace, late) => streams.stdout.write(`trace ${trace.traceId}: ${late} more span${late === 1 ? '' : 's'} arrived (now ${trace.spans.length})\n`),
      });
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  stopWatching();
  stopListening();
  await viewer.close();
}
