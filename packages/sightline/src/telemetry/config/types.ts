/**
 * The two shapes of telemetry configuration: {@link TelemetryOptions}, what a
 * user passes to `startTelemetry` (everything optional), and
 * {@link ResolvedTelemetryConfig}, what `resolveTelemetryConfig` returns after
 * merging options, `OTEL_*` variables, Sightline's aliases and defaults
 * (everything present, validated and deep-frozen).
 *
 * The sampler shapes live here too, since both the options and the resolved
 * configuration carry one.
 */
import type { TenantLabelPolicy } from '../../metrics/tenant-label-policy.ts';

/** Where finished spans go: an OTLP collector, the console (for local debugging) or nowhere. */
export type TracesExporter = 'otlp' | 'console' | 'none';

/**
 * A context propagation format, as `OTEL_PROPAGATORS` names it: W3C
 * `tracecontext` and `baggage`, Zipkin's `b3` (one header) and `b3multi`
 * (`X-B3-*` headers), and `jaeger` (`uber-trace-id`, `uberctx-*`).
 */
export type PropagatorName = 'tracecontext' | 'baggage' | 'b3' | 'b3multi' | 'jaeger';

/**
 * The OTLP wire protocol. `http/protobuf` is the default the OpenTelemetry
 * specification names for SDKs; `grpc` and `http/json` are opt-in.
 */
export type OtlpProtocol = 'grpc' | 'http/protobuf' | 'http/json';

/** Compression applied to OTLP export requests. */
export type OtlpCompression = 'gzip' | 'none';

/** How metrics are exposed: a Prometheus scrape endpoint, or not at all. */
export type MetricsExporter = 'prometheus' | 'otlp' | 'none';

/**
 * Levels of OpenTelemetry's diagnostic logger (`diag`), from quietest to
 * loudest, as `OTEL_LOG_LEVEL` names them.
 */
export type LogLevel = 'none' | 'error' | 'warn' | 'info' | 'debug' | 'verbose' | 'all';

/** The instrumentations Sightline can enable, by their OpenTelemetry short names. */
export type InstrumentationName = 'http' | 'undici' | 'pg' | 'ioredis' | 'express' | 'fastify' | 'pino' | 'winston';

/** Standard OpenTelemetry samplers that take no argument. */
export interface FixedSamplerConfig {
  readonly type: 'always_on' | 'always_off' | 'parentbased_always_on' | 'parentbased_always_off';
}

/**
 * Standard OpenTelemetry trace-id-ratio samplers: keep `ratio` (0..1) of
 * traces, decided deterministically from the trace id.
 */
export interface RatioSamplerConfig {
  readonly type: 'traceidratio' | 'parentbased_traceidratio';
  /** Fraction of traces kept, between 0 and 1 inclusive. */
  readonly ratio: number;
}

/** What a matching {@link SamplingRule} decides: a ratio between 0 and 1, or always/never. */
export type SamplingDecisionRule = number | 'always' | 'never';

/**
 * One rule of the rule-based sampler. A rule matches a span by its name, by
 * its route, or by both (then both must match). The route is the `http.route`
 * attribute present when the span starts, or else its `url.path`. A string
 * matches exactly; a RegExp is tested against the value.
 */
export interface SamplingRule {
  /** Matches the span name: an exact string or a RegExp. */
  readonly spanName?: string | RegExp | undefined;
  /** Matches `http.route` (or `url.path` when no route is set): an exact string or a RegExp. */
  readonly route?: string | RegExp | undefined;
  /** What to do with a matching trace: keep a fraction (0..1), `'always'` keep, or `'never'` keep. */
  readonly ratio: SamplingDecisionRule;
}

/**
 * Options of Sightline's rule-based sampler: the first matching rule decides,
 * otherwise `defaultRatio`; traces of tenants in `alwaysSampleTenants` are
 * always kept. Ratios are decided from the trace id, so every span of a trace
 * agrees.
 */
export interface RuleSamplerOptions {
  readonly type: 'rules';
  /** Rules in priority order; the first that matches decides. Default: none. */
  readonly rules?: readonly SamplingRule[] | undefined;
  /** Fraction of traces kept when no rule matches. Default: 1. */
  readonly defaultRatio?: number | undefined;
  /**
   * Tenants whose traces are always kept, read from the `tenant.id` W3C
   * baggage entry of the parent context. Default: none.
   */
  readonly alwaysSampleTenants?: readonly string[] | undefined;
  /**
   * Whether a parent span's decision is followed (the rules then decide only
   * for root spans). Default: true.
   */
  readonly parentBased?: boolean | undefined;
}

/** The resolved rule-based sampler: every field present. */
export interface RuleSamplerConfig {
  readonly type: 'rules';
  readonly rules: readonly SamplingRule[];
  readonly defaultRatio: number;
  readonly alwaysSampleTenants: readonly string[];
  readonly parentBased: boolean;
}

/** A standard ratio sampler as a user writes it: `ratio` defaults to 1, as `OTEL_TRACES_SAMPLER_ARG` does. */
export interface RatioSamplerOptions {
  readonly type: 'traceidratio' | 'parentbased_traceidratio';
  readonly ratio?: number | undefined;
}

/** The sampler a user may choose in {@link TelemetryOptions.sampler}. */
export type SamplerOptions = FixedSamplerConfig | RatioSamplerOptions | RuleSamplerOptions;

/** The resolved sampler, a discriminated union on `type`; `createSampler` turns it into an SDK sampler. */
export type SamplerConfig = FixedSamplerConfig | RatioSamplerConfig | RuleSamplerConfig;

/**
 * What a user passes to `startTelemetry`. Every field is optional; an unset
 * field falls back to the standard `OTEL_*` variable, then to Sightline's
 * alias variable, then to the default. See docs/configuration.md.
 */
export interface TelemetryOptions {
  /** Turn telemetry on or off. Env: `OTEL_SDK_DISABLED`, alias `OTEL_ENABLED`. Default: true. */
  readonly enabled?: boolean | undefined;
  /** `service.name`. Env: `OTEL_SERVICE_NAME`, `service.name` in `OTEL_RESOURCE_ATTRIBUTES`. Default: `unknown_service:node`. */
  readonly serviceName?: string | undefined;
  /** `service.version`. Env: `OTEL_RESOURCE_ATTRIBUTES`, alias `OTEL_SERVICE_VERSION`. */
  readonly serviceVersion?: string | undefined;
  /** `deployment.environment.name`. Env: `OTEL_RESOURCE_ATTRIBUTES`, alias `ENVIRONMENT`. */
  readonly environment?: string | undefined;
  /** `service.instance.id`. Env: `OTEL_RESOURCE_ATTRIBUTES`. Default: a random UUID. */
  readonly serviceInstanceId?: string | undefined;
  /** Extra resource attributes; they override `OTEL_RESOURCE_ATTRIBUTES` key by key. */
  readonly resourceAttributes?: Readonly<Record<string, string>> | undefined;
  /** Trace export. */
  readonly traces?: TracesOptions | undefined;
  /**
   * Log export: the records of pino and winston (through their OpenTelemetry
   * instrumentations) as OTLP logs, with the same settings and variables as
   * traces (`OTEL_EXPORTER_OTLP_LOGS_*` before `OTEL_EXPORTER_OTLP_*`).
   * Env: `OTEL_LOGS_EXPORTER`. Default exporter: `none`.
   */
  readonly logs?: TracesOptions | undefined;
  /** The batch span processor. */
  readonly batch?: BatchOptions | undefined;
  /** Which traces are kept. Env: `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`, alias `OTEL_SAMPLING_RATE`. Default: `parentbased_always_on`. */
  readonly sampler?: SamplerOptions | undefined;
  /** Turn single instrumentations on or off. Env: `OTEL_NODE_ENABLED_INSTRUMENTATIONS`, `OTEL_NODE_DISABLED_INSTRUMENTATIONS`. Default: all on. */
  readonly instrumentations?: InstrumentationOptions | undefined;
  /**
   * The formats trace context and baggage travel in, injected in this order
   * and extracted from all (the later wins); `[]` propagates nothing. Baggage
   * of every format passes the `context.baggageKeys` allow-list. Env:
   * `OTEL_PROPAGATORS` (`none` for nothing). Default: `['tracecontext', 'baggage']`.
   */
  readonly propagators?: readonly PropagatorName[] | undefined;
  /** Limits on what one span keeps; see {@link SpanLimitOptions}. */
  readonly spanLimits?: SpanLimitOptions | undefined;
  /** Tenant and user context. */
  readonly context?: ContextOptions | undefined;
  /** Shutdown behaviour. */
  readonly shutdown?: ShutdownOptions | undefined;
  /** Metrics exposure. */
  readonly metrics?: MetricsOptions | undefined;
  /**
   * Send OpenTelemetry's diagnostics (`diag`: export failures, drops,
   * instrumentation messages) to the console at this level.
   * Env: `OTEL_LOG_LEVEL` (any letter case). Default: unset, which leaves
   * `diag` alone (silent unless the app set its own logger).
   */
  readonly logLevel?: LogLevel | undefined;
}

/** Trace export options; each overrides its `OTEL_EXPORTER_OTLP_*` variable. */
export interface TracesOptions {
  /**
   * One exporter, or several that each get every span (`['otlp', 'console']`).
   * Env: `OTEL_TRACES_EXPORTER`, a comma-separated list. Default: `otlp`.
   */
  readonly exporter?: TracesExporter | readonly TracesExporter[] | undefined;
  /** Env: `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, `OTEL_EXPORTER_OTLP_PROTOCOL`. Default: `http/protobuf`. */
  readonly protocol?: OtlpProtocol | undefined;
  /** The full URL the exporter sends to, used as is. Env: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly endpoint?: string | undefined;
  /** Headers sent with every export; they override the `OTEL_EXPORTER_OTLP_*HEADERS` variables key by key. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Export request timeout. Env: `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT`, `OTEL_EXPORTER_OTLP_TIMEOUT`. Default: 10000. */
  readonly timeoutMillis?: number | undefined;
  /** Env: `OTEL_EXPORTER_OTLP_TRACES_COMPRESSION`, `OTEL_EXPORTER_OTLP_COMPRESSION`. Default: `none`. */
  readonly compression?: OtlpCompression | undefined;
}

/** Batch span processor options; each overrides its `OTEL_BSP_*` variable. */
export interface BatchOptions {
  /** Spans buffered before new ones are dropped. Env: `OTEL_BSP_MAX_QUEUE_SIZE`. Default: 2048. */
  readonly maxQueueSize?: number | undefined;
  /** Spans per export request, at most `maxQueueSize`. Env: `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`. Default: 512. */
  readonly maxExportBatchSize?: number | undefined;
  /** Delay between two exports. Env: `OTEL_BSP_SCHEDULE_DELAY`. Default: 5000. */
  readonly scheduledDelayMillis?: number | undefined;
  /** Time an export may take before it is cancelled. Env: `OTEL_BSP_EXPORT_TIMEOUT`. Default: 30000. */
  readonly exportTimeoutMillis?: number | undefined;
}

/**
 * What one span keeps; attributes, events and links beyond a count are
 * dropped and longer string values are cut. Each overrides its `OTEL_SPAN_*`
 * variable, which overrides the general `OTEL_ATTRIBUTE_*` one.
 */
export interface SpanLimitOptions {
  /** Longest string attribute value kept. Env: `OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT`, `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`. Default: no limit. */
  readonly attributeValueLengthLimit?: number | undefined;
  /** Attributes per span. Env: `OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT`, `OTEL_ATTRIBUTE_COUNT_LIMIT`. Default: 128. */
  readonly attributeCountLimit?: number | undefined;
  /** Events per span. Env: `OTEL_SPAN_EVENT_COUNT_LIMIT`. Default: 128. */
  readonly eventCountLimit?: number | undefined;
  /** Links per span. Env: `OTEL_SPAN_LINK_COUNT_LIMIT`. Default: 128. */
  readonly linkCountLimit?: number | undefined;
  /** Attributes per span event. Env: `OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT`. Default: 128. */
  readonly attributePerEventCountLimit?: number | undefined;
  /** Attributes per span link. Env: `OTEL_LINK_ATTRIBUTE_COUNT_LIMIT`. Default: 128. */
  readonly attributePerLinkCountLimit?: number | undefined;
}

/** Per-instrumentation switches; each overrides the `OTEL_NODE_*_INSTRUMENTATIONS` lists. */
export type InstrumentationOptions = { readonly [K in InstrumentationName]?: boolean | undefined };

/** Tenant and user context options. */
export interface ContextOptions {
  /** Record a hash of each user id instead of the id itself. Default: false. */
  readonly hashUserIds?: boolean | undefined;
  /** Baggage entries copied onto spans (the allow-list). Default: `['tenant.id', 'user.id']`. */
  readonly baggageKeys?: readonly string[] | undefined;
}

/** Shutdown options. */
export interface ShutdownOptions {
  /**
   * Flush and shut down on SIGTERM and SIGINT. Env: `SIGHTLINE_HANDLE_SIGNALS`.
   * Default: false for `startTelemetry`, true for `--import sightline/register`.
   */
  readonly handleSignals?: boolean | undefined;
  /** Longest time shutdown waits for the final flush. Default: 5000. */
  readonly timeoutMillis?: number | undefined;
}

/** Metrics exposure options. */
export interface MetricsOptions {
  /**
   * `prometheus` starts the metrics server (`/metrics` on host:port) with the
   * telemetry; `otlp` pushes the metrics over OTLP (see `protocol`,
   * `exportIntervalMillis`; endpoint, headers, compression and temporality
   * come from the standard `OTEL_EXPORTER_OTLP_METRICS_*` variables); both
   * may be given (`['prometheus', 'otlp']`, env `prometheus,otlp`); `none`
   * starts neither (mount `createMetricsHandler(telemetry.metrics)`
   * yourself). Env: `OTEL_METRICS_EXPORTER`. Default: `none`, so nothing
   * listens or sends unless asked for.
   */
  readonly exporter?: MetricsExporter | readonly MetricsExporter[] | undefined;
  /** OTLP protocol of the push. Env: `OTEL_EXPORTER_OTLP_METRICS_PROTOCOL`, `OTEL_EXPORTER_OTLP_PROTOCOL`. Default: `http/protobuf`. */
  readonly protocol?: OtlpProtocol | undefined;
  /** Milliseconds between pushes. Env: `OTEL_METRIC_EXPORT_INTERVAL`. Default: 60000. */
  readonly exportIntervalMillis?: number | undefined;
  /** Longest a push may take before it counts as failed. Env: `OTEL_METRIC_EXPORT_TIMEOUT`. Default: 30000. */
  readonly exportTimeoutMillis?: number | undefined;
  /** Address the scrape endpoint listens on. Env: `OTEL_EXPORTER_PROMETHEUS_HOST`. Default: `0.0.0.0`. */
  readonly host?: string | undefined;
  /** Port of the scrape endpoint, 0 for any free port. Env: `OTEL_EXPORTER_PROMETHEUS_PORT`. Default: 9464. */
  readonly port?: number | undefined;
  /** Path the metrics server serves the metrics at; every other path is 404. Default: `/metrics`. */
  readonly path?: string | undefined;
  /**
   * Require `Authorization: Bearer <token>` on every scrape of the metrics
   * server. Env: `SIGHTLINE_METRICS_BEARER_TOKEN`. Default: no token. Never
   * repeated in error messages or logs.
   */
  readonly bearerToken?: string | undefined;
  /** Most label sets one metric keeps before new ones fold into the overflow series. Default: 2000. */
  readonly maxSeriesPerMetric?: number | undefined;
  /**
   * Which tenants get their own `tenant_id` label value on HTTP and
   * messaging metrics: a policy from `tenantLabels`. Env:
   * `SIGHTLINE_METRICS_TENANT_LABELS` (`off`, `allow:acme,globex`, `top:10`).
   * Default: `tenantLabels.off()`.
   */
  readonly tenantLabels?: TenantLabelPolicy | undefined;
  /** Include the Prometheus client's process and Node.js runtime metrics. Default: true. */
  readonly defaultMetrics?: boolean | undefined;
}

/**
 * The configuration telemetry runs with: every value present and validated,
 * the whole object deep-frozen. Produced by `resolveTelemetryConfig`.
 */
export interface ResolvedTelemetryConfig {
  /** False when `OTEL_SDK_DISABLED=true` (or `OTEL_ENABLED=false`, or `enabled: false`): nothing is started. */
  readonly enabled: boolean;
  readonly serviceName: string;
  readonly serviceVersion: string | undefined;
  /** `deployment.environment.name`. */
  readonly environment: string | undefined;
  readonly serviceInstanceId: string;
  /**
   * Every resource attribute: `OTEL_RESOURCE_ATTRIBUTES` (percent-decoded),
   * overridden by `options.resourceAttributes`, with `service.name`,
   * `service.version`, `deployment.environment.name` and
   * `service.instance.id` set to the resolved fields above (the keys of
   * undefined fields are absent). Build the SDK resource from this map alone.
   */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly traces: {
    /** Every exporter that gets the spans, each once, in the order given; empty for `none`. */
    readonly exporters: readonly Exclude<TracesExporter, 'none'>[];
    readonly protocol: OtlpProtocol;
    /** The final URL the exporter uses (for HTTP protocols it ends in the signal path, e.g. `/v1/traces`). */
    readonly endpoint: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly timeoutMillis: number;
    readonly compression: OtlpCompression;
  };
  /** Log export, resolved by the rules of `traces`. */
  readonly logs: ResolvedTelemetryConfig['traces'];
  /** Batch span processor settings; `maxExportBatchSize <= maxQueueSize` holds. */
  readonly batch: {
    readonly maxQueueSize: number;
    readonly maxExportBatchSize: number;
    readonly scheduledDelayMillis: number;
    readonly exportTimeoutMillis: number;
  };
  readonly sampler: SamplerConfig;
  /** The propagation formats, in injection order; empty when nothing is propagated. */
  readonly propagators: readonly PropagatorName[];
  /** Span limits; `attributeValueLengthLimit` is undefined when values are not cut. */
  readonly spanLimits: {
    readonly attributeValueLengthLimit: number | undefined;
    readonly attributeCountLimit: number;
    readonly eventCountLimit: number;
    readonly linkCountLimit: number;
    readonly attributePerEventCountLimit: number;
    readonly attributePerLinkCountLimit: number;
  };
  readonly instrumentations: { readonly [K in InstrumentationName]: boolean };
  readonly context: {
    readonly hashUserIds: boolean;
    readonly baggageKeys: readonly string[];
  };
  readonly shutdown: {
    readonly handleSignals: boolean;
    readonly timeoutMillis: number;
  };
  readonly metrics: {
    /** The exporters that run; empty for `none`. */
    readonly exporters: readonly ('prometheus' | 'otlp')[];
    /** The OTLP push, when `exporters` has `otlp`. */
    readonly otlp: {
      readonly protocol: OtlpProtocol;
      readonly intervalMillis: number;
      readonly timeoutMillis: number;
    };
    readonly host: string;
    readonly port: number;
    readonly path: string;
    /** The scrape token, or undefined when scrapes need none. */
    readonly bearerToken: string | undefined;
    readonly maxSeriesPerMetric: number;
    /** The policy in use (a frozen wrapper around an option's policy, so the caller's object is never frozen). */
    readonly tenantLabels: TenantLabelPolicy;
    readonly defaultMetrics: boolean;
  };
  /** The `diag` console level, or undefined when neither the option nor `OTEL_LOG_LEVEL` sets one. */
  readonly logLevel: LogLevel | undefined;
}
