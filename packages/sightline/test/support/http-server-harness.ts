/**
 * Support for the HTTP middleware tests: a real SDK (the tracing harness)
 * plus OpenTelemetry's node:http instrumentation, which creates the SERVER
 * spans the middleware renames; a scrape parser; bounded polling.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { SpanKind, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { startTracingHarness } from './tracing-harness.ts';
import type { TracingHarness } from './tracing-harness.ts';

export interface HttpTracing extends TracingHarness {
  serverSpans(): ReadableSpan[];
}

// One instrumentation per process: require-in-the-middle hands a module it has patched once
// to no later instance, so a second start enables this one again, on the new tracer provider.
let instrumentation: HttpInstrumentation | undefined;

/** Starts the SDK and instruments node:http (patching `http.Server.prototype.emit`, shared with ESM imports). */
export function startHttpTracing(): HttpTracing {
  const tracing = startTracingHarness();
  if (instrumentation === undefined) {
    instrumentation = new HttpInstrumentation();
    createRequire(import.meta.url)('node:http');
  } else {
    instrumentation.setTracerProvider(trace.getTracerProvider());
    instrumentation.enable();
  }
  const enabled = instrumentation;
  return {
    ...tracing,
    serverSpans: () => tracing.spans().filter((span) => span.kind === SpanKind.SERVER),
    async close() {
      enabled.disable();
      await tracing.close();
    },
  };
}

/** The base URL of a listening server. */
export function baseUrlOf(server: Server): string {
  const address = server.address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

/** Closes a node:http server, dropping idle keep-alive connections. */
export async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  server.closeAllConnections();
  await closed;
}
