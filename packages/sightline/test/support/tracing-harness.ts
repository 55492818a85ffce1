/**
 * A real OpenTelemetry SDK for tests: TracerProvider with the tenant span
 * processor and an in-memory exporter, AsyncLocalStorage context manager,
 * W3C trace context plus the allow-listed baggage propagator, and a diag
 * logger that keeps every message so tests can assert none was a warning.
 */
import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { createBaggagePropagator, TenantSpanProcessor } from 'sightline/sdk';
import type { BaggagePropagatorOptions, TenantSpanProcessorOptions } from 'sightline/sdk';

export interface DiagMessage {
  readonly level: 'error' | 'warn' | 'info' | 'debug' | 'verbose';
  readonly message: string;
}

export interface TracingHarness {
  readonly exporter: InMemorySpanExporter;
  readonly diagMessages: DiagMessage[];
  /** Finished spans, in end order. */
  spans(): ReadableSpan[];
  /** The one finished span named `name` (fails when there is not exactly one). */
  span(name: string): ReadableSpan;
  /** diag messages at warn or error level. */
  problems(): DiagMessage[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly tenant?: TenantSpanProcessorOptions;
  readonly baggage?: BaggagePropagatorOptions;
}

export function startTracingHarness(options: HarnessOptions = {}): TracingHarness {
  const diagMessages: DiagMessage[] = [];
  const logAt =
    (level: DiagMessage['level']) =>
    (message: string, ...args: unknown[]): void => {
      diagMessages.push({ level, message: [message, ...args.map(String)].join(' ') });
    };
  const logger: DiagLogger = {
    error: logAt('error'),
    warn: logAt('warn'),
    info: logAt('info'),
    debug: logAt('debug'),
    verbose: logAt('verbose'),
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });

  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new TenantSpanProcessor(options.tenant), new SimpleSpanProcessor({ exporter })],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), createBaggagePropagator(options.baggage)],
    }),
  );

  return {
    exporter,
    diagMessages,
    spans: () => exporter.getFinishedSpans(),
    span(name) {
      const found = exporter.getFinishedSpans().filter((s) => s.name === name);
      if (found.length !== 1) throw new Error(`expected one span named ${name}, found ${found.length}`);
      return found[0] as ReadableSpan;
    },
    problems: () => diagMessages.filter((m) => m.level === 'warn' || m.level === 'error'),
    async close() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      diag.disable();
    },
  };
}
