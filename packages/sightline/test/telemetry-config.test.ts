import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { TelemetryOptions } from 'sightline/sdk';
import type { TenantLabelPolicy } from 'sightline/metrics';
import { InvalidConfigError, SightlineError } from 'sightline';
import { resolveTelemetryConfig } from 'sightline/sdk';
import { tenantLabels } from 'sightline/metrics';
import { resolveTelemetryConfigFor } from '../src/telemetry/config/resolve.ts';

type Env = Record<string, string>;

interface InvalidCase {
  readonly name: string;
  readonly options?: TelemetryOptions;
  readonly env?: Env;
  readonly setting: string;
  readonly source: string;
  readonly message: string;
}

/** Passes a deliberately ill-typed option, as a JavaScript caller could. */
function untyped(value: unknown): TelemetryOptions {
  return value as TelemetryOptions;
}

const invalid: readonly InvalidCase[] = [
  { name: 'sampler arg above 1', env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' }, setting: 'sampler.ratio', source: 'OTEL_TRACES_SAMPLER_ARG', message: "Expected OTEL_TRACES_SAMPLER_ARG to be a number between 0 and 1, got '1.5'" },
  { name: 'sampler arg not a number', env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0x1' }, setting: 'sampler.ratio', source: 'OTEL_TRACES_SAMPLER_ARG', message: "a number between 0 and 1, got '0x1'" },
  { name: 'sampling rate alias', env: { OTEL_SAMPLING_RATE: '-0.1' }, setting: 'sampler.ratio', source: 'OTEL_SAMPLING_RATE', message: "Expected OTEL_SAMPLING_RATE to be a number between 0 and 1, got '-0.1'" },
  { name: 'ratio option', options: { sampler: { type: 'traceidratio', ratio: 2 } }, setting: 'sampler.ratio', source: 'option', message: 'Expected option sampler.ratio to be a number between 0 and 1, got 2.' },
  { name: 'unknown sampler', env: { OTEL_TRACES_SAMPLER: 'sometimes' }, setting: 'sampler.type', source: 'OTEL_TRACES_SAMPLER', message: "to be one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio, got 'sometimes'" },
  { name: 'jaeger_remote sampler', env: { OTEL_TRACES_SAMPLER: 'jaeger_remote' }, setting: 'sampler.type', source: 'OTEL_TRACES_SAMPLER', message: 'jaeger_remote, parentbased_jaeger_remote and xray are not supported' },
  { name: 'xray sampler', env: { OTEL_TRACES_SAMPLER: 'xray' }, setting: 'sampler.type', source: 'OTEL_TRACES_SAMPLER', message: "got 'xray'" },
  { name: 'rule without matcher', options: untyped({ sampler: { type: 'rules', rules: [{ ratio: 0.5 }] } }), setting: 'sampler.rules[0]', source: 'option', message: 'a rule with a spanName or a route' },
  { name: 'rule ratio word', options: untyped({ sampler: { type: 'rules', rules: [{ route: '/x', ratio: 'sometimes' }] } }), setting: 'sampler.rules[0].ratio', source: 'option', message: "a number between 0 and 1, 'always' or 'never', got 'sometimes'" },
  { name: 'rule matcher type', options: untyped({ sampler: { type: 'rules', rules: [{ spanName: 42, ratio: 1 }] } }), setting: 'sampler.rules[0].spanName', source: 'option', message: 'a string (exact match) or a RegExp, got 42' },
  { name: 'rule default ratio', options: { sampler: { type: 'rules', defaultRatio: 1.01 } }, setting: 'sampler.defaultRatio', source: 'option', message: 'between 0 and 1, got 1.01' },
  { name: 'tenant list', options: untyped({ sampler: { type: 'rules', alwaysSampleTenants: 'acme' } }), setting: 'sampler.alwaysSampleTenants', source: 'option', message: 'an array of non-empty strings' },
  { name: 'SDK disabled word', env: { OTEL_SDK_DISABLED: 'yes' }, setting: 'enabled', source: 'OTEL_SDK_DISABLED', message: "Expected OTEL_SDK_DISABLED to be 'true' or 'false', got 'yes'" },
  { name: 'SDK disabled number', env: { OTEL_SDK_DISABLED: '1' }, setting: 'enabled', source: 'OTEL_SDK_DISABLED', message: "got '1'" },
  { name: 'enabled alias', env: { OTEL_ENABLED: 'off' }, setting: 'enabled', source: 'OTEL_ENABLED', message: "Expected OTEL_ENABLED to be 'true' or 'false', got 'off'" },
  { name: 'enabled option', options: untyped({ enabled: 'yes' }), setting: 'enabled', source: 'option', message: "Expected option enabled to be true or false, got 'yes'" },
  { name: 'queue size word', env: { OTEL_BSP_MAX_QUEUE_SIZE: 'lots' }, setting: 'batch.maxQueueSize', source: 'OTEL_BSP_MAX_QUEUE_SIZE', message: "a whole number of spans of at least 1, got 'lots'" },
  { name: 'queue size zero', env: { OTEL_BSP_MAX_QUEUE_SIZE: '0' }, setting: 'batch.maxQueueSize', source: 'OTEL_BSP_MAX_QUEUE_SIZE', message: "got '0'" },
  { name: 'negative delay', env: { OTEL_BSP_SCHEDULE_DELAY: '-5' }, setting: 'batch.scheduledDelayMillis', source: 'OTEL_BSP_SCHEDULE_DELAY', message: "a whole number of milliseconds (0 or more), got '-5'" },
  { name: 'fractional export timeout', env: { OTEL_BSP_EXPORT_TIMEOUT: '1.5' }, setting: 'batch.exportTimeoutMillis', source: 'OTEL_BSP_EXPORT_TIMEOUT', message: "got '1.5'" },
  { name: 'batch above queue', env: { OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '200' }, setting: 'batch.maxExportBatchSize', source: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', message: "to be at most batch.maxQueueSize (100), got '200'" },
  { name: 'batch above queue option', options: { batch: { maxQueueSize: 10, maxExportBatchSize: 11 } }, setting: 'batch.maxExportBatchSize', source: 'option', message: 'Raise the queue size or lower the batch size.' },
  { name: 'export timeout', env: { OTEL_EXPORTER_OTLP_TIMEOUT: '10s' }, setting: 'traces.timeoutMillis', source: 'OTEL_EXPORTER_OTLP_TIMEOUT', message: "a whole number of milliseconds of at least 1, got '10s'" },
  { name: 'traces timeout option', options: { traces: { timeoutMillis: -1 } }, setting: 'traces.timeoutMillis', source: 'option', message: 'got -1' },
  { name: 'exporter', env: { OTEL_TRACES_EXPORTER: 'zipkin' }, setting: 'traces.exporter', source: 'OTEL_TRACES_EXPORTER', message: "one of otlp, console, none, or a list of them, got 'zipkin'" },
  { name: 'exporter list with none', env: { OTEL_TRACES_EXPORTER: 'otlp,none' }, setting: 'traces.exporter', source: 'OTEL_TRACES_EXPORTER', message: 'none only alone' },
  { name: 'exporter option list', options: untyped({ traces: { exporter: ['otlp', 'jaeger'] } }), setting: 'traces.exporter', source: 'option', message: 'or a list of them, got ["otlp","jaeger"]' },
  { name: 'propagator', env: { OTEL_PROPAGATORS: 'tracecontext,xray' }, setting: 'propagators', source: 'OTEL_PROPAGATORS', message: "one of tracecontext, baggage, b3, b3multi, jaeger, or a list of them, got 'tracecontext,xray'" },
  { name: 'propagator option', options: untyped({ propagators: 'b3' }), setting: 'propagators', source: 'option', message: 'an array of tracecontext, baggage, b3, b3multi, jaeger' },
  { name: 'span limit', env: { OTEL_SPAN_EVENT_COUNT_LIMIT: '-1' }, setting: 'spanLimits.eventCountLimit', source: 'OTEL_SPAN_EVENT_COUNT_LIMIT', message: '(0 or more)' },
  { name: 'attribute limit', env: { OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: 'long' }, setting: 'spanLimits.attributeValueLengthLimit', source: 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', message: 'a whole number (0 or more)' },
  { name: 'protocol', env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'http' }, setting: 'traces.protocol', source: 'OTEL_EXPORTER_OTLP_PROTOCOL', message: "one of http/protobuf, http/json, grpc, got 'http'" },
  { name: 'compression', env: { OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'br' }, setting: 'traces.compression', source: 'OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', message: "one of gzip, none, got 'br'" },
  { name: 'endpoint scheme', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector' }, setting: 'traces.endpoint', source: 'OTEL_EXPORTER_OTLP_ENDPOINT', message: "an absolute http:// or https:// URL, got 'ftp://collector'" },
  { name: 'endpoint without scheme', env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'collector:4318' }, setting: 'traces.endpoint', source: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', message: 'an absolute http:// or https:// URL' },
  { name: 'endpoint option', options: { traces: { endpoint: 'not a url' } }, setting: 'traces.endpoint', source: 'option', message: "Expected option traces.endpoint to be an absolute http:// or https:// URL, got 'not a url'." },
  { name: 'header entry without =', env: { OTEL_EXPORTER_OTLP_HEADERS: 'api-key=1,Authorization Bearer secret' }, setting: 'traces.headers', source: 'OTEL_EXPORTER_OTLP_HEADERS', message: "(entry 2 has no '='), got '[redacted]'" },
  { name: 'header name', env: { OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'bad name=1' }, setting: 'traces.headers', source: 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', message: "keys are HTTP header names (letters, digits and !#$%&'*+-.^_`|~), got 'bad name'" },
  { name: 'header escape', env: { OTEL_EXPORTER_OTLP_HEADERS: 'api-key=%zz' }, setting: 'traces.headers', source: 'OTEL_EXPORTER_OTLP_HEADERS', message: "the value of 'api-key' has a malformed %-escape" },
  { name: 'header option value', options: untyped({ traces: { headers: { 'api-key': 1 } } }), setting: 'traces.headers.api-key', source: 'option', message: "Expected option traces.headers.api-key to be a string, got '[redacted]'" },
  { name: 'resource attribute syntax', env: { OTEL_RESOURCE_ATTRIBUTES: 'team=payments,oops' }, setting: 'resourceAttributes', source: 'OTEL_RESOURCE_ATTRIBUTES', message: "(entry 2 has no '='), got 'oops'" },
  { name: 'resource attribute empty key', env: { OTEL_RESOURCE_ATTRIBUTES: '=x' }, setting: 'resourceAttributes', source: 'OTEL_RESOURCE_ATTRIBUTES', message: 'whose keys are non-empty' },
  { name: 'resource attribute escape', env: { OTEL_RESOURCE_ATTRIBUTES: 'team=a%2' }, setting: 'resourceAttributes', source: 'OTEL_RESOURCE_ATTRIBUTES', message: "got 'team=a%2'" },
  { name: 'empty service name option', options: { serviceName: ' ' }, setting: 'serviceName', source: 'option', message: "a non-empty string, got ' '" },
  { name: 'empty service.name attribute', env: { OTEL_RESOURCE_ATTRIBUTES: 'service.name=' }, setting: 'serviceName', source: 'OTEL_RESOURCE_ATTRIBUTES', message: 'a non-empty string' },
  { name: 'unknown enabled instrumentation', env: { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,redis' }, setting: 'instrumentations', source: 'OTEL_NODE_ENABLED_INSTRUMENTATIONS', message: "each one of http, undici, pg, ioredis, express, fastify, pino, winston, got 'redis'" },
  { name: 'unknown disabled instrumentation', env: { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'fs' }, setting: 'instrumentations', source: 'OTEL_NODE_DISABLED_INSTRUMENTATIONS', message: "got 'fs'" },
  { name: 'unknown instrumentation option', options: untyped({ instrumentations: { mongodb: true } }), setting: 'instrumentations', source: 'option', message: "instrumentation names (http, undici, pg, ioredis, express, fastify, pino, winston), got 'mongodb'" },
  { name: 'metrics exporter unknown', env: { OTEL_METRICS_EXPORTER: 'statsd' }, setting: 'metrics.exporter', source: 'OTEL_METRICS_EXPORTER', message: "got 'statsd'" },
  { name: 'metrics exporter list with none', env: { OTEL_METRICS_EXPORTER: 'prometheus,none' }, setting: 'metrics.exporter', source: 'OTEL_METRICS_EXPORTER', message: "(none stands alone), got 'prometheus,none'" },
  { name: 'metrics path', options: { metrics: { path: 'metrics' } }, setting: 'metrics.path', source: 'option', message: "a path starting with / without a query, fragment or spaces, got 'metrics'" },
  { name: 'metrics path query', options: { metrics: { path: '/metrics?x=1' } }, setting: 'metrics.path', source: 'option', message: "got '/metrics?x=1'" },
  { name: 'series cap', options: { metrics: { maxSeriesPerMetric: 0 } }, setting: 'metrics.maxSeriesPerMetric', source: 'option', message: 'a whole number of series of at least 1, got 0' },
  { name: 'default metrics', options: untyped({ metrics: { defaultMetrics: 'yes' } }), setting: 'metrics.defaultMetrics', source: 'option', message: "true or false, got 'yes'" },
  { name: 'bearer token option', options: untyped({ metrics: { bearerToken: 42 } }), setting: 'metrics.bearerToken', source: 'option', message: 'a non-empty token without spaces, got 42' },
  { name: 'tenant labels option', options: untyped({ metrics: { tenantLabels: 'top:10' } }), setting: 'metrics.tenantLabels', source: 'option', message: "a policy from tenantLabels.off(), tenantLabels.allowList([...]) or tenantLabels.topK(k), got 'top:10'" },
  { name: 'tenant labels word', env: { SIGHTLINE_METRICS_TENANT_LABELS: 'on' }, setting: 'metrics.tenantLabels', source: 'SIGHTLINE_METRICS_TENANT_LABELS', message: "Expected SIGHTLINE_METRICS_TENANT_LABELS to be off, allow:<tenant>,<tenant>... or top:<k> with k a whole number of at least 1, got 'on' (setting metrics.tenantLabels)." },
  { name: 'tenant labels top 0', env: { SIGHTLINE_METRICS_TENANT_LABELS: 'top:0' }, setting: 'metrics.tenantLabels', source: 'SIGHTLINE_METRICS_TENANT_LABELS', message: "got 'top:0'" },
  { name: 'tenant labels top word', env: { SIGHTLINE_METRICS_TENANT_LABELS: 'top:ten' }, setting: 'metrics.tenantLabels', source: 'SIGHTLINE_METRICS_TENANT_LABELS', message: "got 'top:ten'" },
  { name: 'tenant labels empty allow', env: { SIGHTLINE_METRICS_TENANT_LABELS: 'allow:' }, setting: 'metrics.tenantLabels', source: 'SIGHTLINE_METRICS_TENANT_LABELS', message: "(a tenant id in the allow list is empty), got 'allow:'" },
  { name: 'tenant labels empty entry', env: { SIGHTLINE_METRICS_TENANT_LABELS: 'allow:acme,,globex' }, setting: 'metrics.tenantLabels', source: 'SIGHTLINE_METRICS_TENANT_LABELS', message: 'a tenant id in the allow list is empty' },
  { name: 'log level', env: { OTEL_LOG_LEVEL: 'chatty' }, setting: 'logLevel', source: 'OTEL_LOG_LEVEL', message: "Expected OTEL_LOG_LEVEL to be one of none, error, warn, info, debug, verbose, all, got 'chatty' (setting logLevel)." },
  { name: 'log level option', options: untyped({ logLevel: 'loud' }), setting: 'logLevel', source: 'option', message: "Expected option logLevel to be one of none, error, warn, info, debug, verbose, all, got 'loud'." },
  { name: 'handle signals word', env: { SIGHTLINE_HANDLE_SIGNALS: 'yes' }, setting: 'shutdown.handleSignals', source: 'SIGHTLINE_HANDLE_SIGNALS', message: "Expected SIGHTLINE_HANDLE_SIGNALS to be 'true' or 'false', got 'yes'" },
  { name: 'port above range', env: { OTEL_EXPORTER_PROMETHEUS_PORT: '65536' }, setting: 'metrics.port', source: 'OTEL_EXPORTER_PROMETHEUS_PORT', message: "a whole number between 0 and 65535, got '65536'" },
  { name: 'port option', options: { metrics: { port: -1 } }, setting: 'metrics.port', source: 'option', message: 'between 0 and 65535, got -1' },
  { name: 'shutdown timeout', options: { shutdown: { timeoutMillis: 0 } }, setting: 'shutdown.timeoutMillis', source: 'option', message: 'of at least 1, got 0' },
  { name: 'baggage keys', options: untyped({ context: { baggageKeys: ['tenant.id', ''] } }), setting: 'context.baggageKeys', source: 'option', message: 'an array of non-empty strings' },
  { name: 'section type', options: untyped({ traces: 'otlp' }), setting: 'traces', source: 'option', message: "Expected option traces to be an object, got 'otlp'." },
];

void describe('resolveTelemetryConfig: invalid values', () => {
  for (const entry of invalid) {
    void it(`rejects ${entry.name}`, () => {
      assert.throws(
        () => resolveTelemetryConfig(entry.options ?? {}, entry.env ?? {}),
        (error: unknown) => {
          assert.ok(error instanceof InvalidConfigError);
          assert.ok(error instanceof SightlineError);
          assert.equal(error.code, 'SIGHTLINE_INVALID_CONFIG');
          assert.equal(error.name, 'InvalidConfigError');
          assert.equal(error.setting, entry.setting);
          assert.equal(error.source, entry.source);
          assert.ok(error.message.includes(entry.message), `message was: ${error.message}`);
          return true;
        },
      );
    });
  }

  void it('names the setting and source in env messages', () => {
    assert.throws(() => resolveTelemetryConfig({}, { OTEL_BSP_MAX_QUEUE_SIZE: 'x' }), {
      message: "Expected OTEL_BSP_MAX_QUEUE_SIZE to be a whole number of spans of at least 1, got 'x' (setting batch.maxQueueSize).",
    });
  });

  void it('does not echo the metrics bearer token, from the environment or an option', () => {
    for (const [options, env] of [
      [{}, { SIGHTLINE_METRICS_BEARER_TOKEN: 'two words' }],
      [{ metrics: { bearerToken: 'tab\tsecret' } }, {}],
      [{ metrics: { bearerToken: '' } }, {}],
    ] as const) {
      assert.throws(
        () => resolveTelemetryConfig(options, env),
        (error: unknown) =>
          error instanceof InvalidConfigError &&
          error.setting === 'metrics.bearerToken' &&
          error.value === '[redacted]' &&
          !/words|secret/.test(error.message) &&
          error.message.includes("got '[redacted]'"),
      );
    }
  });

  void it('does not echo header values, which may hold credentials', () => {
    assert.throws(
      () => resolveTelemetryConfig({}, { OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20s3cret,x-token s3cret' }),
      (error: unknown) => error instanceof InvalidConfigError && !error.message.includes('s3cret') && error.value === '[redacted]',
    );
  });
});

void describe('resolveTelemetryConfig: defaults', () => {
  void it('fills every field from the defaults with an empty environment', () => {
    const config = resolveTelemetryConfig({}, {});
    assert.equal(config.enabled, true);
    assert.equal(config.serviceName, 'unknown_service:node');
    assert.equal(config.serviceVersion, undefined);
    assert.equal(config.environment, undefined);
    assert.match(config.serviceInstanceId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(config.resourceAttributes, { 'service.name': 'unknown_service:node', 'service.instance.id': config.serviceInstanceId });
    assert.deepEqual(config.traces, {
      exporters: ['otlp'],
      protocol: 'http/protobuf',
      endpoint: 'http://localhost:4318/v1/traces',
      headers: {},
      timeoutMillis: 10_000,
      compression: 'none',
    });
    assert.deepEqual(config.logs, {
      exporters: [],
      protocol: 'http/protobuf',
      endpoint: 'http://localhost:4318/v1/logs',
      headers: {},
      timeoutMillis: 10_000,
      compression: 'none',
    });
    assert.deepEqual(config.batch, { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000, exportTimeoutMillis: 30_000 });
    assert.deepEqual(config.sampler, { type: 'parentbased_always_on' });
    assert.deepEqual(config.propagators, ['tracecontext', 'baggage']);
    assert.deepEqual(config.spanLimits, {
      attributeValueLengthLimit: undefined,
      attributeCountLimit: 128,
      eventCountLimit: 128,
      linkCountLimit: 128,
      attributePerEventCountLimit: 128,
      attributePerLinkCountLimit: 128,
    });
    assert.deepEqual(config.instrumentations, { http: true, undici: true, pg: true, ioredis: true, express: true, fastify: true, pino: true, winston: true });
    assert.deepEqual(config.context, { hashUserIds: false, baggageKeys: ['tenant.id', 'user.id'] });
    assert.deepEqual(config.shutdown, { handleSignals: false, timeoutMillis: 5000 });
    assert.deepEqual(config.metrics, {
      exporters: [],
      otlp: { protocol: 'http/protobuf', intervalMillis: 60_000, timeoutMillis: 30_000 },
      host: '0.0.0.0',
      port: 9464,
      path: '/metrics',
      bearerToken: undefined,
      maxSeriesPerMetric: 2000,
      tenantLabels: tenantLabels.off(),
      defaultMetrics: true,
    });
    assert.equal(config.logLevel, undefined);
  });

  void it('reads process.env when no environment is passed', () => {
    const previous = process.env['OTEL_SERVICE_NAME'];
    process.env['OTEL_SERVICE_NAME'] = 'from-process-env';
    try {
      assert.equal(resolveTelemetryConfig().serviceName, 'from-process-env');
    } finally {
      if (previous === undefined) delete process.env['OTEL_SERVICE_NAME'];
      else process.env['OTEL_SERVICE_NAME'] = previous;
    }
  });

  void it('gives each resolution its own instance id unless one is configured', () => {
    assert.notEqual(resolveTelemetryConfig({}, {}).serviceInstanceId, resolveTelemetryConfig({}, {}).serviceInstanceId);
    assert.equal(resolveTelemetryConfig({}, { OTEL_RESOURCE_ATTRIBUTES: 'service.instance.id=pod-7' }).serviceInstanceId, 'pod-7');
  });

  void it('lowers an unset batch size to a smaller queue size', () => {
    assert.deepEqual(resolveTelemetryConfig({}, { OTEL_BSP_MAX_QUEUE_SIZE: '100' }).batch.maxExportBatchSize, 100);
  });

  void it('accepts port 0 (any free port), which || would have lost', () => {
    assert.equal(resolveTelemetryConfig({ metrics: { port: 0 } }, { OTEL_EXPORTER_PROMETHEUS_PORT: '9999' }).metrics.port, 0);
  });
});

void describe('resolveTelemetryConfig: precedence', () => {
  void it('service name: option, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, default', () => {
    const env = { OTEL_SERVICE_NAME: 'env-name', OTEL_RESOURCE_ATTRIBUTES: 'service.name=attr-name' };
    assert.equal(resolveTelemetryConfig({ serviceName: 'option-name' }, env).serviceName, 'option-name');
    assert.equal(resolveTelemetryConfig({}, env).serviceName, 'env-name');
    assert.equal(resolveTelemetryConfig({}, { OTEL_RESOURCE_ATTRIBUTES: 'service.name=attr-name' }).serviceName, 'attr-name');
    assert.equal(resolveTelemetryConfig({ resourceAttributes: { 'service.name': 'option-attr' } }, env).serviceName, 'option-attr');
  });

  void it('service version: option, OTEL_RESOURCE_ATTRIBUTES, alias OTEL_SERVICE_VERSION', () => {
    const env = { OTEL_RESOURCE_ATTRIBUTES: 'service.version=2.0.0', OTEL_SERVICE_VERSION: '1.0.0' };
    assert.equal(resolveTelemetryConfig({ serviceVersion: '3.0.0' }, env).serviceVersion, '3.0.0');
    assert.equal(resolveTelemetryConfig({}, env).serviceVersion, '2.0.0');
    assert.equal(resolveTelemetryConfig({}, { OTEL_SERVICE_VERSION: '1.0.0' }).serviceVersion, '1.0.0');
  });

  void it('environment: option, deployment.environment.name attribute, alias ENVIRONMENT', () => {
    const env = { OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging', ENVIRONMENT: 'dev' };
    assert.equal(resolveTelemetryConfig({ environment: 'production' }, env).environment, 'production');
    assert.equal(resolveTelemetryConfig({}, env).environment, 'staging');
    assert.equal(resolveTelemetryConfig({}, { ENVIRONMENT: 'dev' }).environment, 'dev');
  });

  void it('enabled: option, OTEL_SDK_DISABLED, alias OTEL_ENABLED, default', () => {
    assert.equal(resolveTelemetryConfig({ enabled: true }, { OTEL_SDK_DISABLED: 'true' }).enabled, true);
    assert.equal(resolveTelemetryConfig({}, { OTEL_SDK_DISABLED: 'TRUE', OTEL_ENABLED: 'true' }).enabled, false);
    assert.equal(resolveTelemetryConfig({}, { OTEL_SDK_DISABLED: 'false', OTEL_ENABLED: 'false' }).enabled, true);
    assert.equal(resolveTelemetryConfig({}, { OTEL_ENABLED: 'False' }).enabled, false);
  });

  void it('sampler: option, OTEL_TRACES_SAMPLER, alias OTEL_SAMPLING_RATE, default', () => {
    const env = { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.5', OTEL_SAMPLING_RATE: '0.1' };
    assert.deepEqual(resolveTelemetryConfig({ sampler: { type: 'always_off' } }, env).sampler, { type: 'always_off' });
    assert.deepEqual(resolveTelemetryConfig({}, env).sampler, { type: 'traceidratio', ratio: 0.5 });
    assert.deepEqual(resolveTelemetryConfig({}, { OTEL_SAMPLING_RATE: '0.1' }).sampler, { type: 'parentbased_traceidratio', ratio: 0.1 });
    assert.deepEqual(resolveTelemetryConfig({}, { OTEL_TRACES_SAMPLER: 'PARENTBASED_TRACEIDRATIO' }).sampler, { type: 'parentbased_traceidratio', ratio: 1 });
    assert.deepEqual(resolveTelemetryConfig({}, { OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: 'ignored' }).sampler, { type: 'always_on' });
  });

  void it('timeouts and batch sizes: option, signal-specific variable, generic variable, default', () => {
    const env = { OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '2000', OTEL_EXPORTER_OTLP_TIMEOUT: '3000', OTEL_BSP_MAX_QUEUE_SIZE: '4096', OTEL_BSP_SCHEDULE_DELAY: '0' };
    assert.equal(resolveTelemetryConfig({ traces: { timeoutMillis: 1000 } }, env).traces.timeoutMillis, 1000);
    assert.equal(resolveTelemetryConfig({}, env).traces.timeoutMillis, 2000);
    assert.equal(resolveTelemetryConfig({}, { OTEL_EXPORTER_OTLP_TIMEOUT: '3000' }).traces.timeoutMillis, 3000);
    assert.equal(resolveTelemetryConfig({}, env).batch.maxQueueSize, 4096);
    assert.equal(resolveTelemetryConfig({}, env).batch.scheduledDelayMillis, 0);
    assert.equal(resolveTelemetryConfig({ batch: { maxQueueSize: 1024 } }, env).batch.maxQueueSize, 1024);
  });

  void it('protocol and compression: option, signal-specific variable, generic variable', () => {
    const env = { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' };
    assert.equal(resolveTelemetryConfig({ traces: { protocol: 'http/protobuf' } }, env).traces.protocol, 'http/protobuf');
    assert.equal(resolveTelemetryConfig({}, env).traces.protocol, 'grpc');
    assert.equal(resolveTelemetryConfig({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).traces.protocol, 'http/json');
    assert.equal(resolveTelemetryConfig({}, env).traces.compression, 'gzip');
    assert.equal(resolveTelemetryConfig({ traces: { compression: 'none' } }, env).traces.compression, 'none');
  });

  void it('treats empty and blank variables as unset', () => {
    const config = resolveTelemetryConfig({}, {
      OTEL_SERVICE_NAME: '',
      OTEL_SDK_DISABLED: '',
      OTEL_TRACES_SAMPLER: ' ',
      OTEL_BSP_MAX_QUEUE_SIZE: '',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: '',
      OTEL_RESOURCE_ATTRIBUTES: '',
      OTEL_SERVICE_VERSION: '',
    });
    assert.equal(config.serviceName, 'unknown_service:node');
    assert.equal(config.enabled, true);
    assert.deepEqual(config.sampler, { type: 'parentbased_always_on' });
    assert.equal(config.batch.maxQueueSize, 2048);
    assert.equal(config.traces.endpoint, 'http://collector:4318/v1/traces');
    assert.equal(config.serviceVersion, undefined);
  });

  void it('instrumentations: enabled list, then disabled list, then options per name', () => {
    assert.deepEqual(resolveTelemetryConfig({}, { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http, pg,express' }).instrumentations, {
      http: true, undici: false, pg: true, ioredis: false, express: true, fastify: false, pino: false, winston: false,
    });
    assert.deepEqual(resolveTelemetryConfig({}, { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'ioredis' }).instrumentations, {
      http: true, undici: true, pg: true, ioredis: false, express: true, fastify: true, pino: true, winston: true,
    });
    const env = { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,pg', OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pg' };
    assert.deepEqual(resolveTelemetryConfig({ instrumentations: { undici: true, http: false } }, env).instrumentations, {
      http: false, undici: true, pg: false, ioredis: false, express: false, fastify: false, pino: false, winston: false,
    });
  });

  void it('logs: the rules of traces, with LOGS for TRACES; nothing is sent unless asked', () => {
    const env = { OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_LOGS_COMPRESSION: 'gzip', OTEL_EXPORTER_OTLP_HEADERS: 'a=1', OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'a=2' };
    const { logs, traces } = resolveTelemetryConfig({}, env);
    assert.deepEqual([logs.exporters, logs.endpoint, logs.compression, logs.headers], [['otlp'], 'http://collector:4318/v1/logs', 'gzip', { a: '2' }]);
    assert.deepEqual([traces.endpoint, traces.compression, traces.headers], ['http://collector:4318/v1/traces', 'none', { a: '1' }]);
    const grpc = resolveTelemetryConfig({ logs: { exporter: 'otlp' } }, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317' }).logs;
    assert.deepEqual([grpc.protocol, grpc.endpoint], ['grpc', 'http://collector:4317']);
  });

  void it('metrics: option, OTEL_* and SIGHTLINE_METRICS_* variables, defaults', () => {
    const env = {
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: '9100',
      SIGHTLINE_METRICS_BEARER_TOKEN: ' from-env ',
    };
    const fromEnv = resolveTelemetryConfig({}, env).metrics;
    assert.deepEqual(
      { exporters: fromEnv.exporters, host: fromEnv.host, port: fromEnv.port, bearerToken: fromEnv.bearerToken },
      { exporters: [], host: '127.0.0.1', port: 9100, bearerToken: 'from-env' },
    );
    const options = { metrics: { exporter: 'prometheus', host: '::1', path: '/internal/metrics', bearerToken: 'opt', maxSeriesPerMetric: 50, defaultMetrics: false } } as const;
    const fromOptions = resolveTelemetryConfig(options, env).metrics;
    assert.deepEqual(
      { ...fromOptions, tenantLabels: undefined },
      { exporters: ['prometheus'], otlp: { protocol: 'http/protobuf', intervalMillis: 60_000, timeoutMillis: 30_000 }, host: '::1', port: 9100, path: '/internal/metrics', bearerToken: 'opt', maxSeriesPerMetric: 50, defaultMetrics: false, tenantLabels: undefined },
    );
    assert.deepEqual(resolveTelemetryConfig({}, { OTEL_METRICS_EXPORTER: 'Prometheus' }).metrics.exporters, ['prometheus']);
    const pushed = resolveTelemetryConfig({}, { OTEL_METRICS_EXPORTER: 'prometheus, otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_METRIC_EXPORT_INTERVAL: '500' }).metrics;
    assert.deepEqual([pushed.exporters, pushed.otlp], [['prometheus', 'otlp'], { protocol: 'grpc', intervalMillis: 500, timeoutMillis: 30_000 }]);
  });

  void it('tenant labels: SIGHTLINE_METRICS_TENANT_LABELS as off, allow:<ids> or top:<k>', () => {
    const policy = (value: string): TenantLabelPolicy => resolveTelemetryConfig({}, { SIGHTLINE_METRICS_TENANT_LABELS: value }).metrics.tenantLabels;
    assert.equal(policy('OFF'), tenantLabels.off());
    const allow = policy('allow: acme , globex');
    assert.equal(allow.kind, 'allowList');
    assert.deepEqual(['acme', 'globex', 'initech', undefined].map((id) => allow.labelFor(id)), ['acme', 'globex', 'other', '']);
    const top = policy('Top:1');
    assert.equal(top.kind, 'topK');
    const labels = Array.from({ length: 5 }, () => top.labelFor('acme'));
    assert.equal(labels.at(-1), 'acme', 'the busiest tenant is labelled once counted');
    assert.equal(top.labelFor('globex'), 'other');
  });

  void it('tenant labels: an option policy wins over the variable and is used, not frozen', () => {
    class FirstSeen implements TenantLabelPolicy {
      readonly kind = 'allowList' as const;
      first: string | undefined;
      labelFor(tenantId: string | undefined): string {
        this.first ??= tenantId;
        return tenantId === this.first ? (tenantId ?? '') : 'other';
      }
    }
    const own = new FirstSeen();
    const config = resolveTelemetryConfig({ metrics: { tenantLabels: own } }, { SIGHTLINE_METRICS_TENANT_LABELS: 'off' });
    assert.equal(config.metrics.tenantLabels.kind, 'allowList');
    assert.equal(config.metrics.tenantLabels.labelFor('acme'), 'acme');
    assert.equal(config.metrics.tenantLabels.labelFor('globex'), 'other');
    assert.equal(own.first, 'acme');
    assert.ok(!Object.isFrozen(own));
    assert.ok(Object.isFrozen(config.metrics.tenantLabels));
  });

  void it('handleSignals: option, SIGHTLINE_HANDLE_SIGNALS, then false for startTelemetry and true for the register entry', () => {
    const signals = (entry: 'startTelemetry' | 'register', options: TelemetryOptions, env: Env): boolean =>
      resolveTelemetryConfigFor(entry, options, env).shutdown.handleSignals;
    assert.equal(signals('startTelemetry', {}, {}), false);
    assert.equal(signals('register', {}, {}), true);
    assert.equal(resolveTelemetryConfig({}, {}).shutdown.handleSignals, false, 'resolveTelemetryConfig resolves as startTelemetry does');
    assert.equal(signals('startTelemetry', {}, { SIGHTLINE_HANDLE_SIGNALS: 'TRUE' }), true);
    assert.equal(signals('register', {}, { SIGHTLINE_HANDLE_SIGNALS: 'false' }), false);
    assert.equal(signals('register', { shutdown: { handleSignals: true } }, { SIGHTLINE_HANDLE_SIGNALS: 'false' }), true);
    assert.equal(signals('startTelemetry', { shutdown: { handleSignals: false } }, { SIGHTLINE_HANDLE_SIGNALS: 'true' }), false);
  });

  void it('trace exporters: an option or array, else the OTEL_TRACES_EXPORTER list (deduplicated), else otlp', () => {
    assert.deepEqual(resolveTelemetryConfig({}, { OTEL_TRACES_EXPORTER: 'OTLP, console,otlp' }).traces.exporters, ['otlp', 'console']);
    assert.deepEqual(resolveTelemetryConfig({}, { OTEL_TRACES_EXPORTER: 'none' }).traces.exporters, []);
    assert.deepEqual(resolveTelemetryConfig({ traces: { exporter: 'console' } }, { OTEL_TRACES_EXPORTER: 'otlp' }).traces.exporters, ['console']);
    assert.deepEqual(resolveTelemetryConfig({ traces: { exporter: ['console', 'otlp'] } }, {}).traces.exporters, ['console', 'otlp']);
  });

  void it('propagators: option (empty for none), else OTEL_PROPAGATORS, else tracecontext and baggage', () => {
    assert.deepEqual(resolveTelemetryConfig({}, { OTEL_PROPAGATORS: 'b3multi,Jaeger,baggage,b3multi' }).propagators, ['b3multi', 'jaeger', 'baggage']);
    assert.deepEqual(resolveTelemetryConfig({}, { OTEL_PROPAGATORS: 'none' }).propagators, []);
    assert.deepEqual(resolveTelemetryConfig({ propagators: [] }, { OTEL_PROPAGATORS: 'b3' }).propagators, []);
    assert.deepEqual(resolveTelemetryConfig({ propagators: ['b3'] }, {}).propagators, ['b3']);
  });

  void it('span limits: option, OTEL_SPAN_* variable, general OTEL_ATTRIBUTE_* variable, default', () => {
    const env = { OTEL_ATTRIBUTE_COUNT_LIMIT: '64', OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '1024', OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '256', OTEL_LINK_ATTRIBUTE_COUNT_LIMIT: '0' };
    assert.deepEqual(resolveTelemetryConfig({ spanLimits: { eventCountLimit: 10 } }, env).spanLimits, {
      attributeValueLengthLimit: 256,
      attributeCountLimit: 64,
      eventCountLimit: 10,
      linkCountLimit: 128,
      attributePerEventCountLimit: 128,
      attributePerLinkCountLimit: 0,
    });
  });

  void it('logLevel: option, OTEL_LOG_LEVEL in any letter case, else unset', () => {
    assert.equal(resolveTelemetryConfig({}, { OTEL_LOG_LEVEL: 'DEBUG' }).logLevel, 'debug');
    assert.equal(resolveTelemetryConfig({}, { OTEL_LOG_LEVEL: ' Warn ' }).logLevel, 'warn');
    assert.equal(resolveTelemetryConfig({ logLevel: 'error' }, { OTEL_LOG_LEVEL: 'all' }).logLevel, 'error');
    assert.equal(resolveTelemetryConfig({}, { OTEL_LOG_LEVEL: ' ' }).logLevel, undefined);
  });
});

void describe('resolveTelemetryConfig: endpoints', () => {
  const cases: readonly { name: string; options?: TelemetryOptions; env: Env; endpoint: string }[] = [
    { name: 'default http/protobuf', env: {}, endpoint: 'http://localhost:4318/v1/traces' },
    { name: 'default http/json', env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, endpoint: 'http://localhost:4318/v1/traces' },
    { name: 'default grpc', env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, endpoint: 'http://localhost:4317' },
    { name: 'generic base gets /v1/traces for http', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318' }, endpoint: 'https://collector:4318/v1/traces' },
    { name: 'generic base with a trailing slash', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, endpoint: 'http://collector:4318/v1/traces' },
    { name: 'generic base with a path', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://gateway/otlp' }, endpoint: 'http://gateway/otlp/v1/traces' },
    { name: 'generic base as is for grpc', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, endpoint: 'http://collector:4317' },
    { name: 'traces endpoint as is', env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://other:4318' }, endpoint: 'http://collector:4318/custom' },
    { name: 'option as is', options: { traces: { endpoint: 'http://opt:4318/x' } }, env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom' }, endpoint: 'http://opt:4318/x' },
    { name: 'protocol option decides the derivation', options: { traces: { protocol: 'grpc' } }, env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317' }, endpoint: 'http://collector:4317' },
  ];
  for (const entry of cases) {
    void it(entry.name, () => {
      assert.equal(resolveTelemetryConfig(entry.options ?? {}, entry.env).traces.endpoint, entry.endpoint);
    });
  }
});

void describe('resolveTelemetryConfig: key=value lists', () => {
  void it('merges generic headers, trace headers and options, percent-decoded, names lower-cased', () => {
    const config = resolveTelemetryConfig(
      { traces: { headers: { 'X-Team': 'option' } } },
      {
        OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Basic%20dXNlcjpwYXNz,x-team=generic, x-tenant = acme ',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=globex,x-sig=a=b==',
      },
    );
    assert.deepEqual(config.traces.headers, { authorization: 'Basic dXNlcjpwYXNz', 'x-team': 'option', 'x-tenant': 'globex', 'x-sig': 'a=b==' });
  });

  void it('parses OTEL_RESOURCE_ATTRIBUTES and lets options override key by key', () => {
    const config = resolveTelemetryConfig(
      { resourceAttributes: { team: 'checkout' }, serviceName: 'orders' },
      { OTEL_RESOURCE_ATTRIBUTES: 'team=payments,region=eu%2Cwest,note=a%20b,service.name=ignored' },
    );
    assert.deepEqual({ ...config.resourceAttributes, 'service.instance.id': 'x' }, {
      team: 'checkout', region: 'eu,west', note: 'a b', 'service.name': 'orders', 'service.instance.id': 'x',
    });
  });

  void it('keeps identity attributes equal to the resolved fields', () => {
    const config = resolveTelemetryConfig({ serviceVersion: '1.2.3', environment: 'prod', serviceInstanceId: 'i-1' }, { OTEL_RESOURCE_ATTRIBUTES: 'service.version=0.0.1' });
    assert.equal(config.resourceAttributes['service.version'], '1.2.3');
    assert.equal(config.resourceAttributes['deployment.environment.name'], 'prod');
    assert.equal(config.resourceAttributes['service.instance.id'], 'i-1');
  });
});

void describe('resolveTelemetryConfig: immutability', () => {
  void it('does not modify the caller options and copies them', () => {
    const rules = [{ route: /^\/health/g, ratio: 'never' as const }];
    const options = {
      serviceName: 'orders',
      resourceAttributes: { team: 'payments' },
      traces: { headers: { 'X-Key': 'v' } },
      sampler: { type: 'rules' as const, rules, alwaysSampleTenants: ['acme'] },
      context: { baggageKeys: ['tenant.id'] },
    };
    const snapshot = structuredClone({ ...options, sampler: { ...options.sampler, rules: [] } });
    const config = resolveTelemetryConfig(options, {});
    assert.deepEqual({ ...options, sampler: { ...options.sampler, rules: [] } }, snapshot);
    assert.equal(options.sampler.rules, rules);
    assert.equal(rules[0]?.route.flags, 'g');
    assert.ok(!Object.isFrozen(options) && !Object.isFrozen(options.context.baggageKeys) && !Object.isFrozen(rules[0]?.route));
    assert.notEqual(config.context.baggageKeys, options.context.baggageKeys);
  });

  void it('deep-freezes the result', () => {
    const config = resolveTelemetryConfig({ sampler: { type: 'rules', rules: [{ spanName: /^GET /, ratio: 0.5 }], alwaysSampleTenants: ['acme'] } }, {});
    const frozen = [config, config.traces, config.traces.headers, config.batch, config.sampler, config.instrumentations, config.context, config.context.baggageKeys, config.shutdown, config.metrics, config.resourceAttributes];
    for (const part of frozen) assert.ok(Object.isFrozen(part));
    assert.equal(config.sampler.type, 'rules');
    if (config.sampler.type === 'rules') {
      assert.ok(Object.isFrozen(config.sampler.rules) && Object.isFrozen(config.sampler.rules[0]) && Object.isFrozen(config.sampler.alwaysSampleTenants));
    }
    assert.throws(() => {
      // @ts-expect-error the resolved configuration is read-only in its type too
      config.traces.timeoutMillis = 1;
    }, TypeError);
  });
});

void describe('InvalidConfigError documentation', () => {
  void it('documents its code in docs/configuration.md', async () => {
    const guide = await readFile(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    assert.ok(guide.includes(new InvalidConfigError({ setting: 's', value: 1, source: 'option', expected: 'e' }).code));
  });
});
