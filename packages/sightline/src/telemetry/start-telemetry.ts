/**
 * `startTelemetry`: resolves the configuration, builds the tracing pipeline
 * (resource, sampler, tenant span processor, the pg span processor when the pg
 * instrumentation is on, span metrics, batch span processor, exporter), the
 * logs pipeline when a logs exporter is configured,
 * registers it globally (tracer provider, AsyncLocalStorage context manager,
 * the configured propagators, baggage allow-listed), enables the
 * curated instrumentations and ties shutdown to the process. This module and
 * its neighbours are the only place in Sightline that touches the
 * OpenTelemetry SDK.
 */
import { context, diag, metrics as metricsApi, propagation, trace } from '@opentelemetry/api';
import type { TracerProvider as ApiTracerProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { SpanLimits, SpanProcessor } from '@opentelemetry/sdk-trace';
import { contextHeaders, createPropagator } from './propagation/create-propagator.ts';
import { TenantSpanProcessor } from '../context/tenant-span-processor.ts';
import { PG_INSTRUMENTATION_SCOPE, PgSpanProcessor } from '../db/pg-span-processor.ts';
import type { MetricsServer } from '../metrics/metrics-server.ts';
import { configureDefaultMetricsRegistry } from '../metrics/default-registry.ts';
import { createRegistryMeterProvider } from '../metrics/otel-meter-provider.ts';
import { SpanMetricsProcessor } from '../metrics/span-metrics-processor.ts';
import { startMetricsPush } from './metrics-push/metrics-push.ts';
import type { MetricsPush } from './metrics-push/metrics-push.ts';
import { createMetricExporter } from './metrics-push/otlp-metric-exporter.ts';
import { registerTelemetryMetrics } from '../metrics/telemetry-metrics.ts';
import { MetricsServerStartError, TelemetryAlreadyStartedError, TelemetryGlobalConflictError } from '../errors.ts';
import type { TelemetryEntry } from './config/resolve.ts';
import { isStrictConfig, resolveTelemetryConfigLeniently } from './config/resolve-leniently.ts';
import type { ResolvedTelemetryConfig, TelemetryOptions } from './config/types.ts';
import { enableDiagLogging } from './diag-logging.ts';
import { runningTelemetryRecord, setRunningTelemetryRecord } from './current-telemetry.ts';
import type { TelemetryOrigin } from './current-telemetry.ts';
import { createSpanExporters } from './exporter.ts';
import { createInstrumentations } from './instrumentations.ts';
import { installProcessHooks } from './process-hooks.ts';
import { startLogsPipeline } from './logs.ts';
import { isMetricsScrape } from './scrape-filter.ts';
import type { ScrapeEndpoint } from './scrape-filter.ts';
import { buildResource } from './resource.ts';
import { createSampler, samplerDropsUnsampledChildren, samplerReadsAttributes } from './sampling/create-sampler.ts';
import { UnsampledChildrenTracerProvider } from './sampling/unsampled-children.ts';
import { SpanStatsMeterProvider } from './span-stats.ts';
import { writeStderrLine } from './stderr-line.ts';
import { DisabledTelemetry, RunningTelemetry } from './telemetry.ts';
import type { Telemetry } from './telemetry.ts';

const ENTRIES: { readonly [K in TelemetryOrigin]: TelemetryEntry } = {
  'startTelemetry()': 'startTelemetry',
  '`--import sightline/register`': 'register',
};

/**
 * Starts telemetry for this process and returns its handle. Options override
 * the `OTEL_*` variables (see docs/configuration.md); with no options the
 * environment alone decides. `logLevel` (`OTEL_LOG_LEVEL`) turns on
 * OpenTelemetry's diagnostic logging.
 *
 * Metrics go to the process's default registry, configured with the
 * `metrics.*` options (series cap, tenant-label policy); the OpenTelemetry
 * metrics API is registered to record into it too, so the upstream http,
 * undici and pg instrumentations give HTTP server and client and database
 * durations with no code. With `metrics.exporter: 'prometheus'`
 * (`OTEL_METRICS_EXPORTER=prometheus`) the metrics server starts too (its
 * scrapes are not traced); with `otlp` the metrics are pushed over OTLP.
 *
 * - A bad option rejects with `InvalidConfigError` before anything is
 *   registered. A bad environment variable is reported in one line on stderr
 *   and ignored (its setting takes the default), and a metrics port in use is
 *   reported the same way (telemetry runs without the metrics server);
 *   `SIGHTLINE_STRICT_CONFIG=true` makes both reject instead.
 * - With telemetry disabled (`enabled: false`, `OTEL_SDK_DISABLED=true`) it
 *   registers nothing and returns a handle whose methods do nothing;
 *   `OTEL_SDK_DISABLED=true` ignores every other variable.
 * - Telemetry runs once per process: while it runs, another call rejects with
 *   {@link TelemetryAlreadyStartedError}; after `shutdown()` it may be started again.
 * - Another OpenTelemetry SDK registered globally rejects with {@link TelemetryGlobalConflictError}.
 */
export function startTelemetry(options: TelemetryOptions = {}): Promise<Telemetry> {
  return startTelemetryAs('startTelemetry()', options);
}

/** {@link startTelemetry}, recording how it was started (the `register` entry uses this). */
export async function startTelemetryAs(origin: TelemetryOrigin, options: TelemetryOptions): Promise<Telemetry> {
  const config = resolveTelemetryConfigLeniently(ENTRIES[origin], options, process.env, writeStderrLine);
  enableDiagLogging(config.logLevel);
  if (!config.enabled) return new DisabledTelemetry(config);

  const running = runningTelemetryRecord();
  if (running !== undefined) throw new TelemetryAlreadyStartedError(running.origin);
  setRunningTelemetryRecord({ origin, telemetry: undefined });
  try {
    const telemetry = await startPipeline(config, isStrictConfig(process.env), () => setRunningTelemetryRecord(undefined));
    setRunningTelemetryRecord({ origin, telemetry });
    return telemetry;
  } catch (error) {
    setRunningTelemetryRecord(undefined);
    throw error;
  }
}

async function startPipeline(config: ResolvedTelemetryConfig, strict: boolean, release: () => void): Promise<Telemetry> {
  let scrapeEndpoint: ScrapeEndpoint | undefined;
  const { host, port, path, bearerToken, maxSeriesPerMetric, defaultMetrics, tenantLabels } = config.metrics;
  const metrics = configureDefaultMetricsRegistry({ maxSeriesPerMetric, defaultMetrics, tenantLabelPolicy: tenantLabels });
  const instrumentations = await createInstrumentations(config.instrumentations, {
    ignoreIncomingRequest: (request) => scrapeEndpoint !== undefined && isMetricsScrape(request, scrapeEndpoint),
    registry: metrics,
    sendLogs: config.logs.exporters.length > 0,
    samplerReadsAttributes: samplerReadsAttributes(config.sampler),
    contextHeaders: contextHeaders(config.propagators),
  });
  const disableInstrumentations = (): void => {
    for (const instrumentation of instrumentations) instrumentation.disable();
  };
  let metricsServer: MetricsServer | undefined;
  let metricsPush: MetricsPush | undefined;
  try {
    const exporters = await createSpanExporters(config.traces);
    const resource = buildResource(config);
    if (config.metrics.exporters.includes('prometheus')) {
      // Loaded only now, after the instrumentations exist: importing node:http earlier would
      // load it before the http instrumentation can patch it for the app.
      const { startMetricsServer } = await import('../metrics/metrics-server.ts');
      try {
        metricsServer = await startMetricsServer(metrics, { host, port, path, bearerToken });
        scrapeEndpoint = { port: metricsServer.port, path };
      } catch (error) {
        if (strict || !(error instanceof MetricsServerStartError)) throw error;
        writeStderrLine(`sightline: ${error.message} Telemetry runs without the metrics server.`);
      }
    }
    if (config.metrics.exporters.includes('otlp')) {
      const { protocol, intervalMillis, timeoutMillis } = config.metrics.otlp;
      metricsPush = startMetricsPush(metrics, await createMetricExporter(protocol), { intervalMillis, timeoutMillis, resource });
    }
    const spanStats = new SpanStatsMeterProvider();
    const spanProcessors: SpanProcessor[] = [new TenantSpanProcessor({ hashUserIds: config.context.hashUserIds })];
    if (instrumentations.some((instrumentation) => instrumentation.instrumentationName === PG_INSTRUMENTATION_SCOPE)) {
      spanProcessors.push(new PgSpanProcessor());
    }
    spanProcessors.push(new SpanMetricsProcessor(metrics));
    // One batch processor per exporter, as the OpenTelemetry SDKs do; the first one's counts are `stats()`.
    exporters.forEach((exporter, index) => {
      spanProcessors.push(new BatchSpanProcessor({ exporter, ...config.batch, ...(index === 0 ? { selfObsMeterProvider: spanStats } : {}) }));
    });
    const provider = new TracerProvider({
      resource,
      sampler: createSampler(config.sampler),
      spanLimits: spanLimits(config.spanLimits),
      spanProcessors,
    });
    // What instrumentations and the API get: the SDK's tracers, or tracers that skip the children of an unsampled span.
    const tracerProvider = samplerDropsUnsampledChildren(config.sampler) ? new UnsampledChildrenTracerProvider(provider) : provider;
    if (!registerGlobals(tracerProvider, config)) {
      await provider.shutdown();
      throw new TelemetryGlobalConflictError();
    }
    const meterProvider = createRegistryMeterProvider(metrics);
    const ownsMeterProvider = metricsApi.setGlobalMeterProvider(meterProvider);
    if (!ownsMeterProvider) diag.warn('sightline: another OpenTelemetry MeterProvider is registered; metrics recorded through the API go to it');
    const logsPipeline = await startLogsPipeline(config.logs, resource);
    const unloadInstrumentations = registerInstrumentations({ instrumentations, tracerProvider, meterProvider });

    const telemetry: RunningTelemetry = new RunningTelemetry(config, {
      shutdownProvider: async () => {
        await Promise.all([provider.shutdown(), metricsPush?.shutdown(), logsPipeline?.shutdown()]);
      },
      flushProvider: async () => {
        await Promise.all([provider.forceFlush(), metricsPush?.forceFlush(), logsPipeline?.flush()]);
      },
      stats: () => spanStats.stats(),
      metrics,
      metricsUrl: metricsServer?.url,
      unregister: () => {
        stopTelemetryMetrics();
        void metricsServer?.close();
        hooks.remove();
        unloadInstrumentations();
        if (ownsMeterProvider) metricsApi.disable();
        unregisterGlobals();
        release();
      },
    });
    const stopTelemetryMetrics = registerTelemetryMetrics(metrics, telemetry);
    const hooks = installProcessHooks(telemetry, config.shutdown.handleSignals);
    diag.debug(`sightline: telemetry started for ${config.serviceName}`, describeExport(config));
    return telemetry;
  } catch (error) {
    disableInstrumentations();
    await metricsServer?.close();
    await metricsPush?.shutdown();
    throw error;
  }
}

/**
 * Registers the tracer provider, context manager and propagator. Returns
 * false when another SDK holds one of them; what this call registered is then
 * removed again and the other SDK's registrations are left alone.
 */
function registerGlobals(provider: ApiTracerProvider, config: ResolvedTelemetryConfig): boolean {
  if (!trace.setGlobalTracerProvider(provider)) return false;
  if (!context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())) {
    trace.disable();
    return false;
  }
  const propagator = createPropagator(config.propagators, { allowedKeys: config.context.baggageKeys });
  if (!propagation.setGlobalPropagator(propagator)) {
    trace.disable();
    context.disable();
    return false;
  }
  return true;
}

function unregisterGlobals(): void {
  trace.disable();
  propagation.disable();
  context.disable();
}

function describeExport(config: ResolvedTelemetryConfig): Record<string, unknown> {
  const { exporters, protocol, endpoint } = config.traces;
  const traces = exporters.includes('otlp') ? { exporters, protocol, endpoint } : { exporters };
  return { ...traces, metrics: config.metrics.exporters };
}

/** The SDK's span limits: an unset value length means no limit. */
function spanLimits(limits: ResolvedTelemetryConfig['spanLimits']): SpanLimits {
  const { attributeValueLengthLimit, ...counts } = limits;
  return { ...counts, attributeValueLengthLimit: attributeValueLengthLimit ?? Infinity };
}
