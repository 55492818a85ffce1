/**
 * Support for the HTTP middleware tests: a real SDK (the tracing harness)
 * plus a server instrumentation that creates the SERVER spans the middleware
 * renames: OpenTelemetry's node:http instrumentation (how the middleware runs
 * under plain OpenTelemetry) or Sightline's own (how it runs under
 * `startTelemetry`, which then records the request metrics); a scrape
 * parser; bounded polling.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { SpanKind, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import type { MetricsRegistry } from 'sightline';
import { contextHeaders } from '../../src/telemetry/propagation/create-propagator.ts';
import { HttpServerInstrumentation } from '../../src/telemetry/http-server/http-server-instrumentation.ts';
import { startTracingHarness } from './tracing-harness.ts';
import type { TracingHarness } from './tracing-harness.ts';

/** Which instrumentation makes the server spans. */
export type ServerInstrumentation = 'opentelemetry' | 'sightline';

export interface HttpTracing extends TracingHarness {
  serverSpans(): ReadableSpan[];
  /**
   * Instruments node:http servers for one test. With `sightline`, the
   * instrumentation records request metrics into `registry`, the registry
   * the middleware under test records into; with `opentelemetry`, the
   * instrumentation started with the harness does the work.
   */
  instrumentServers(registry: MetricsRegistry): Disposable;
}

// One instrumentation per process: require-in-the-middle hands a module it has patched once
// to no later instance, so a second start enables this one again, on the new tracer provider.
let instrumentation: HttpInstrumentation | undefined;

/**
 * Starts the SDK; with `opentelemetry`, instruments node:http (patching
 * `http.Server.prototype.emit`, shared with ESM imports).
 */
export function startHttpTracing(servers: ServerInstrumentation = 'opentelemetry'): HttpTracing {
  const tracing = startTracingHarness();
  const enabled = servers === 'opentelemetry' ? enableUpstream() : undefined;
  return {
    ...tracing,
    serverSpans: () => tracing.spans().filter((span) => span.kind === SpanKind.SERVER),
    instrumentServers(registry) {
      if (servers === 'opentelemetry') return { [Symbol.dispose]: () => undefined };
      // As startTelemetry configures it by default: attributes for recorded spans only, extraction only with a header.
      const sightline = new HttpServerInstrumentation({
        registry,
        ignoreIncomingRequest: () => false,
        samplerReadsAttributes: false,
        contextHeaders: contextHeaders(['tracecontext', 'baggage']),
      });
      sightline.setTracerProvider(trace.getTracerProvider());
      sightline.enable();
      return { [Symbol.dispose]: () => sightline.disable() };
    },
    async close() {
      enabled?.disable();
      await tracing.close();
    },
  };
}

function enableUpstream(): HttpInstrumentation {
  if (instrumentation === undefined) {
    instrumentation = new HttpInstrumentation();
    createRequire(import.meta.url)('node:http');
  } else {
    instrumentation.setTracerProvider(trace.getTracerProvider());
    instrumentation.enable();
  }
  return instrumentation;
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
