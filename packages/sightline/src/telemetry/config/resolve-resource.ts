/**
 * Service identity and resource attributes: `OTEL_SERVICE_NAME`,
 * `OTEL_RESOURCE_ATTRIBUTES` and the aliases `OTEL_SERVICE_VERSION` and
 * `ENVIRONMENT`.
 */
import { randomUUID } from 'node:crypto';
import type { ConfigSource } from '../../errors.ts';
import type { Candidate, Env } from './env.ts';
import { firstSet } from './env.ts';
import type { KeyValueListRule } from './key-value-list.ts';
import { checkKeyValueObject, parseKeyValueList } from './key-value-list.ts';
import type { TelemetryOptions } from './types.ts';
import { asNonEmptyString } from './validate.ts';

/** Default `service.name` when none is configured, the form the OpenTelemetry specification gives. */
export const DEFAULT_SERVICE_NAME = 'unknown_service:node';

const SERVICE_NAME = 'service.name';
const SERVICE_VERSION = 'service.version';
const ENVIRONMENT = 'deployment.environment.name';
const INSTANCE_ID = 'service.instance.id';

const ATTRIBUTE_LIST: KeyValueListRule = {
  isValidKey: (key) => key.trim() !== '',
  secret: false,
  keyDescription: 'non-empty',
};

/** The resolved identity fields and the full attribute map. */
export interface ResolvedResource {
  readonly serviceName: string;
  readonly serviceVersion: string | undefined;
  readonly environment: string | undefined;
  readonly serviceInstanceId: string;
  readonly resourceAttributes: Record<string, string>;
}

/**
 * Resolves identity. For each identity field the order is: its own option,
 * the same key in `options.resourceAttributes`, the standard variable
 * (`OTEL_SERVICE_NAME` for the name only), the key in
 * `OTEL_RESOURCE_ATTRIBUTES`, the alias variable, the default.
 */
export function resolveResource(options: TelemetryOptions, env: Env): ResolvedResource {
  const fromEnv = resolveWithList(firstSet('resourceAttributes', undefined, env, ['OTEL_RESOURCE_ATTRIBUTES']));
  const fromOptions = options.resourceAttributes === undefined
    ? {}
    : checkKeyValueObject({ setting: 'resourceAttributes', source: 'option', value: options.resourceAttributes }, ATTRIBUTE_LIST);

  const identity = (setting: string, option: unknown, key: string, standard: readonly string[], aliases: readonly string[]): string | undefined => {
    const candidate = firstSet(setting, option, env)
      ?? fromMap(`resourceAttributes['${key}']`, 'option', fromOptions, key)
      ?? firstSet(setting, undefined, env, standard)
      ?? fromMap(setting, 'OTEL_RESOURCE_ATTRIBUTES', fromEnv, key)
      ?? firstSet(setting, undefined, env, aliases);
    return candidate === undefined ? undefined : asNonEmptyString(candidate);
  };

  const serviceName = identity('serviceName', options.serviceName, SERVICE_NAME, ['OTEL_SERVICE_NAME'], []) ?? DEFAULT_SERVICE_NAME;
  const serviceVersion = identity('serviceVersion', options.serviceVersion, SERVICE_VERSION, [], ['OTEL_SERVICE_VERSION']);
  const environment = identity('environment', options.environment, ENVIRONMENT, [], ['ENVIRONMENT']);
  const serviceInstanceId = identity('serviceInstanceId', options.serviceInstanceId, INSTANCE_ID, [], []) ?? randomUUID();

  const resourceAttributes: Record<string, string> = { ...fromEnv, ...fromOptions, [SERVICE_NAME]: serviceName, [INSTANCE_ID]: serviceInstanceId };
  delete resourceAttributes[SERVICE_VERSION];
  delete resourceAttributes[ENVIRONMENT];
  if (serviceVersion !== undefined) resourceAttributes[SERVICE_VERSION] = serviceVersion;
  if (environment !== undefined) resourceAttributes[ENVIRONMENT] = environment;
  return { serviceName, serviceVersion, environment, serviceInstanceId, resourceAttributes };
}

function fromMap(setting: string, source: ConfigSource, map: Readonly<Record<string, string>>, key: string): Candidate | undefined {
  const value = map[key];
  return value === undefined ? undefined : { setting, source, value };
}

function resolveWithList(candidate: Candidate | undefined): Record<string, string> {
  return candidate === undefined ? {} : parseKeyValueList(candidate, ATTRIBUTE_LIST);
}
