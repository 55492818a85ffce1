/**
 * The OTLP metrics push (`OTEL_METRICS_EXPORTER=otlp`): every
 * `OTEL_METRIC_EXPORT_INTERVAL` milliseconds the registry is collected,
 * converted to `ResourceMetrics` and handed to one of OpenTelemetry's OTLP
 * metric exporters (gRPC, HTTP/protobuf or HTTP/JSON, chosen by
 * `OTEL_EXPORTER_OTLP_METRICS_PROTOCOL`), which encodes it with the OTLP
 * transformer and reads its own `OTEL_EXPORTER_OTLP_METRICS_*` settings
 * (endpoint, headers, timeout, compression, temporality preference).
 *
 * A push never throws: each one is counted in
 * `sightline_metrics_exports_total{outcome}` (`success`, `failure`), a
 * failure is reported through `diag`, and the next push sends the values
 * again (cumulative) or what accumulated since (delta). A push that takes
 * longer than `OTEL_METRIC_EXPORT_TIMEOUT` counts as failed. Pushes never
 * overlap; the timer never holds the process open.
 */
import { diag } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { catalogue } from '../../metrics/catalogue.ts';
import type { MetricsRegistry } from '../../metrics/registry.ts';
import { ResourceMetricsConverter } from './resource-metrics.ts';

/** How often and how long to push. */
export interface MetricsPushSettings {
  readonly intervalMillis: number;
  readonly timeoutMillis: number;
  readonly resource: Resource;
}

/** A running push. */
export interface MetricsPush {
  /** Pushes now (waiting for a push under way first). Never rejects. */
  forceFlush(): Promise<void>;
  /** Stops the timer, pushes one last time and shuts the exporter down. Idempotent; never rejects. */
  shutdown(): Promise<void>;
}

/** Starts pushing `registry` through `exporter`. */
export function startMetricsPush(registry: MetricsRegistry, exporter: PushMetricExporter, settings: MetricsPushSettings): MetricsPush {
  registry.markRead();
  const exports = registry.counter(catalogue.metricsExports);
  const converter = new ResourceMetricsConverter(settings.resource, (type) =>
    exporter.selectAggregationTemporality === undefined ? 1 : exporter.selectAggregationTemporality(type),
  );
  let inFlight: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;

  const pushOnce = async (): Promise<void> => {
    try {
      const resourceMetrics = converter.convert(await registry.collect());
      const result = await withTimeout(
        new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(resourceMetrics, resolve)),
        settings.timeoutMillis,
      );
      if (result.code === 0) {
        exports.inc({ outcome: 'success' });
      } else {
        exports.inc({ outcome: 'failure' });
        diag.warn('sightline: pushing metrics over OTLP failed; the next push sends them again', result.error);
      }
    } catch (error) {
      exports.inc({ outcome: 'failure' });
      diag.warn('sightline: pushing metrics over OTLP failed; the next push sends them again', error);
    }
  };
  const push = (): Promise<void> => {
    inFlight ??= pushOnce().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  const timer = setInterval(() => void push(), settings.intervalMillis);
  timer.unref();
  return {
    forceFlush: async () => {
      await inFlight;
      await push();
    },
    shutdown: () => {
      stopped ??= (async () => {
        clearInterval(timer);
        await inFlight;
        await push();
        await exporter.shutdown().catch((error: unknown) => diag.warn('sightline: the OTLP metric exporter failed to shut down', error));
      })();
      return stopped;
    },
  };
}

/** `promise`, or a rejection after `millis`; the timer never holds the process open. */
function withTimeout<T>(promise: Promise<T>, millis: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the push took longer than ${millis} ms (OTEL_METRIC_EXPORT_TIMEOUT)`)), millis);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
