/**
 * Attributes of an OpenTelemetry measurement as the labels of a registry
 * metric: each attribute key is converted to its label name (`http.route`
 * -> `http_route`, cached), attributes without a label are dropped, labels
 * without an attribute are empty, and a `tenant_id` label follows the
 * registry's tenant-label policy for the tenant in the measurement's
 * context (never an attribute: tenant ids are unbounded).
 */
import { context as otelContext } from '@opentelemetry/api';
import type { Attributes, Context } from '@opentelemetry/api';
import { tenantFromContext } from '../context/tenant-context.ts';
import { prometheusLabel } from './naming.ts';
import type { TenantLabelPolicy } from './tenant-label-policy.ts';

/** How the labels of one metric are filled. */
export interface LabelMapping {
  readonly labelNames: readonly string[];
  /** Whether `tenant_id` is one of them (filled from the context, not from attributes). */
  readonly tenantLabel: boolean;
  /** Called with each attribute key that has no label and is dropped (`tenant.id` is never a label and not reported). */
  readonly onDroppedKey?: ((key: string) => void) | undefined;
}

const TENANT_LABEL = 'tenant_id';

/** Attribute keys already converted, and the way back; attribute keys are few, but the caches are bounded anyway. */
const converted = new Map<string, string>();
const MAX_CONVERTED = 10_000;

/** The attribute keys behind the catalogue's labels (and `tenant_id`, the span attribute `tenant.id`). */
const KNOWN_KEYS = [
  'http.request.method',
  'http.route',
  'http.response.status_code',
  'server.address',
  'db.system.name',
  'db.operation.name',
  'db.collection.name',
  'db.client.connection.pool.name',
  'db.client.connection.state',
  'error.type',
  'messaging.system',
  'messaging.destination.name',
  'messaging.consumer.group.name',
  'tenant.id',
];
const keysByLabel = new Map<string, string>(KNOWN_KEYS.map((key) => [prometheusLabel(key), key]));

function labelOf(key: string): string {
  let label = converted.get(key);
  if (label === undefined) {
    label = prometheusLabel(key);
    if (converted.size < MAX_CONVERTED) {
      converted.set(key, label);
      if (!keysByLabel.has(label)) keysByLabel.set(label, key);
    }
  }
  return label;
}

/**
 * The attribute key of a label, for the OTLP push: the key it was converted
 * from (`http_route` -> `http.route`), or the label itself (`breaker`).
 */
export function attributeKeyOf(label: string): string {
  return keysByLabel.get(label) ?? label;
}

/** The label names for the attribute keys of a first measurement, in order, without duplicates. */
export function labelNamesOf(attributes: Attributes | undefined): string[] {
  return [...new Set(Object.keys(attributes ?? {}).map(labelOf))].filter((label) => label !== TENANT_LABEL);
}

function stringOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? value.map(stringOf).join(',') : '';
}

/** The label values of a measurement with `attributes`, made in `context` (default: the active one). */
export function labelsFromAttributes(
  mapping: LabelMapping,
  attributes: Attributes | undefined,
  context: Context | undefined,
  policy: TenantLabelPolicy,
): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const name of mapping.labelNames) labels[name] = '';
  if (attributes !== undefined) {
    for (const key in attributes) {
      const label = labelOf(key);
      if (label === TENANT_LABEL) continue;
      if (Object.hasOwn(labels, label)) labels[label] = stringOf(attributes[key]);
      else mapping.onDroppedKey?.(key);
    }
  }
  if (mapping.tenantLabel) labels[TENANT_LABEL] = policy.labelFor(tenantFromContext(context ?? otelContext.active())?.tenantId);
  return labels;
}
