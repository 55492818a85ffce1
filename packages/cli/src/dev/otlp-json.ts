/**
 * Decodes the OTLP/HTTP JSON encoding of a trace export request
 * (`POST /v1/traces`, `Content-Type: application/json`) into flat spans.
 * The encoding is the protobuf JSON mapping with the OTLP exceptions: trace
 * and span ids are hex strings, enums are numbers, 64-bit integers may be
 * strings.
 */

/** An attribute value after decoding. */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

/** An attribute value as text: strings as they are, anything else as JSON. */
export function formatAttribute(value: AttributeValue | undefined): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

/** One span as the viewer keeps it. */
export interface ViewerSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: SpanKindName;
  readonly startNanos: bigint;
  readonly endNanos: bigint;
  readonly status: 'unset' | 'ok' | 'error';
  readonly statusMessage: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly events: readonly { readonly name: string; readonly timeNanos: bigint }[];
  readonly serviceName: string;
}

/** OTLP span kinds by their enum number. */
const SPAN_KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
/** A span kind by name, as the viewer shows it. */
export type SpanKindName = (typeof SPAN_KINDS)[number];
const STATUS_CODES = ['unset', 'ok', 'error'] as const;

/** Thrown when a request body is not an OTLP JSON trace export request. */
export class OtlpJsonError extends Error {
  override readonly name = 'OtlpJsonError';
}

type Json = Record<string, unknown>;

/** Decodes a parsed request body; throws {@link OtlpJsonError} with the path of the first bad field. */
export function decodeTraceRequest(body: unknown): ViewerSpan[] {
  const spans: ViewerSpan[] = [];
  for (const [r, resourceSpans] of arrayAt(objectAt(body, 'body'), 'resourceSpans', 'body').entries()) {
    const resourcePath = `resourceSpans[${r}]`;
    const resource = objectAt(resourceSpans, resourcePath);
    const resourceAttributes = attributesOf(optionalObject(resource['resource'])?.['attributes'], `${resourcePath}.resource`);
    const serviceName = formatAttribute(resourceAttributes['service.name'] ?? 'unknown_service');
    for (const [s, scopeSpans] of arrayAt(resource, 'scopeSpans', resourcePath).entries()) {
      const scopePath = `${resourcePath}.scopeSpans[${s}]`;
      for (const [i, span] of arrayAt(objectAt(scopeSpans, scopePath), 'spans', scopePath).entries()) {
        spans.push(decodeSpan(objectAt(span, `${scopePath}.spans[${i}]`), `${scopePath}.spans[${i}]`, serviceName));
      }
    }
  }
  return spans;
}

function decodeSpan(span: Json, path: string, serviceName: string): ViewerSpan {
  const parentSpanId = hexAt(span, 'parentSpanId', path, true);
  const status = optionalObject(span['status']);
  return {
    traceId: hexAt(span, 'traceId', path, false) ?? '',
    spanId: hexAt(span, 'spanId', path, false) ?? '',
    parentSpanId: parentSpanId === '' ? undefined : parentSpanId,
    name: stringAt(span, 'name', path),
    kind: SPAN_KINDS[Number(span['kind'] ?? 0)] ?? 'unspecified',
    startNanos: nanosAt(span, 'startTimeUnixNano', path),
    endNanos: nanosAt(span, 'endTimeUnixNano', path),
    status: STATUS_CODES[Number(status?.['code'] ?? 0)] ?? 'unset',
    statusMessage: typeof status?.['message'] === 'string' ? status['message'] : '',
    attributes: attributesOf(span['attributes'], path),
    events: (Array.isArray(span['events']) ? span['events'] : []).map((event, e) => {
      const value = objectAt(event, `${path}.events[${e}]`);
      return { name: stringAt(value, 'name', `${path}.events[${e}]`), timeNanos: nanosAt(value, 'timeUnixNano', `${path}.events[${e}]`) };
    }),
    serviceName,
  };
}

function attributesOf(value: unknown, path: string): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  if (value === undefined) return attributes;
  if (!Array.isArray(value)) throw new OtlpJsonError(`${path}.attributes must be an array`);
  for (const [i, entry] of value.entries()) {
    const keyValue = objectAt(entry, `${path}.attributes[${i}]`);
    attributes[stringAt(keyValue, 'key', `${path}.attributes[${i}]`)] = anyValue(keyValue['value']);
  }
  return attributes;
}

function anyValue(value: unknown): AttributeValue {
  const v = optionalObject(value);
  if (!v) return null;
  if (typeof v['stringValue'] === 'string') return v['stringValue'];
  if (typeof v['boolValue'] === 'boolean') return v['boolValue'];
  if (v['intValue'] !== undefined) return Number(v['intValue']);
  if (v['doubleValue'] !== undefined) return Number(v['doubleValue']);
  const array = optionalObject(v['arrayValue']);
  if (array) return (Array.isArray(array['values']) ? array['values'] : []).map(anyValue);
  const kvlist = optionalObject(v['kvlistValue']);
  if (kvlist) return attributesOf(kvlist['values'], 'kvlistValue');
  if (typeof v['bytesValue'] === 'string') return v['bytesValue'];
  return null;
}

function objectAt(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new OtlpJsonError(`${path} must be an object`);
  return value as Json;
}

function optionalObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function arrayAt(object: Json, key: string, path: string): unknown[] {
  const value = object[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new OtlpJsonError(`${path}.${key} must be an array`);
  return value;
}

function stringAt(object: Json, key: string, path: string): string {
  const value = object[key];
  if (typeof value !== 'string') throw new OtlpJsonError(`${path}.${key} must be a string`);
  return value;
}

function hexAt(object: Json, key: string, path: string, optional: boolean): string | undefined {
  const value = object[key];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(value)) {
    throw new OtlpJsonError(`${path}.${key} must be a hex string (set OTEL_EXPORTER_OTLP_PROTOCOL=http/json)`);
  }
  return value.toLowerCase();
}

function nanosAt(object: Json, key: string, path: string): bigint {
  const value = object[key];
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'object' && value !== null && 'low' in value && 'high' in value) {
    const { low, high } = value as { low: number; high: number };
    return (BigInt(high >>> 0) << 32n) + BigInt(low >>> 0);
  }
  throw new OtlpJsonError(`${path}.${key} must be an integer number of nanoseconds`);
}
