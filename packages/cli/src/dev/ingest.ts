/**
 * What every receiver (OTLP/HTTP and OTLP/gRPC) hands decoded requests to:
 * the stores, the listeners (terminal, live pages) and the count of refused
 * requests.
 */
import { OtlpRequestError } from 'sightline/errors';
import { LogStore } from './log-store.ts';
import { MetricStore } from './metric-store.ts';
import type { MetricStoreLimits } from './metric-store.ts';
import { decodeLogs } from './otlp/logs.ts';
import { decodeMetrics } from './otlp/metrics.ts';
import type { MetricSample } from './otlp/metrics.ts';
import { decodeSpans } from './otlp/spans.ts';
import type { ViewerSpan } from './otlp/spans.ts';
import type { Signal } from './otlp/wire.ts';
import { TraceStore } from './trace-store.ts';
import type { TraceStoreLimits } from './trace-store.ts';

/** Memory bounds of everything the viewer keeps. */
export interface ViewerLimits extends TraceStoreLimits, MetricStoreLimits {
  /** Log records kept. Default 5000. */
  readonly maxLogs?: number;
  /** Largest export request accepted, in bytes, before and after gunzip. Default 16 MiB. */
  readonly maxBodyBytes?: number;
}

/** A refused request, as reported to {@link IngestListener.onRejected}. */
export interface Rejection {
  readonly status: 400 | 413 | 415;
  readonly signal: Signal | undefined;
  readonly transport: 'http' | 'grpc';
  readonly reason: string;
}

/** Called as data arrives; none of these may throw. */
export interface IngestListener {
  onSpans?(spans: readonly ViewerSpan[]): void;
  onLogs?(count: number): void;
  onMetrics?(count: number): void;
  onRejected?(rejection: Rejection): void;
}

/** The stores and counters of a running viewer. */
export class Ingest {
  readonly traces: TraceStore;
  readonly logs: LogStore;
  readonly metrics: MetricStore;
  readonly maxBodyBytes: number;
  /** Refused requests by HTTP status. */
  readonly rejected: Record<400 | 413 | 415, number> = { 400: 0, 413: 0, 415: 0 };
  readonly #listeners = new Set<IngestListener>();

  constructor(limits: ViewerLimits = {}) {
    this.traces = new TraceStore(limits);
    this.logs = new LogStore(limits.maxLogs);
    this.metrics = new MetricStore(limits);
    this.maxBodyBytes = limits.maxBodyBytes ?? 16 * 1024 * 1024;
  }

  /** Adds a listener; returns its removal. */
  listen(listener: IngestListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stores a decoded export request; throws `OtlpRequestError` (400) when a field is wrong, storing nothing. */
  accept(signal: Signal, body: unknown): void {
    if (signal === 'traces') {
      const spans = decodeSpans(body);
      this.traces.add(spans);
      for (const listener of this.#listeners) listener.onSpans?.(spans);
    } else if (signal === 'logs') {
      const logs = decodeLogs(body);
      this.logs.add(logs);
      for (const listener of this.#listeners) listener.onLogs?.(logs.length);
    } else {
      const samples = decodeMetrics(body);
      this.metrics.add(samples);
      for (const listener of this.#listeners) listener.onMetrics?.(samples.length);
    }
  }

  /** Stores scraped samples. */
  acceptSamples(samples: readonly MetricSample[]): void {
    this.metrics.add(samples);
    for (const listener of this.#listeners) listener.onMetrics?.(samples.length);
  }

  /** Counts a refused request and tells the listeners. */
  reject(error: OtlpRequestError, signal: Signal | undefined, transport: 'http' | 'grpc'): void {
    this.rejected[error.status] += 1;
    for (const listener of this.#listeners) listener.onRejected?.({ status: error.status, signal, transport, reason: error.message });
  }
}

/** The error as an `OtlpRequestError` (400 for anything a decoder threw). */
export function asRequestError(error: unknown): OtlpRequestError {
  if (error instanceof OtlpRequestError) return error;
  return new OtlpRequestError(400, `Not a valid export request: ${error instanceof Error ? error.message : String(error)}.`, { cause: error });
}
