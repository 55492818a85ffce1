/**
 * Reading an envelope from the bytes a transport delivered. Nothing reaches
 * a handler without passing here; a failure comes back with a reason (the
 * rejection metric's label and the dead letter's reason) and a detail for
 * people.
 */
import type { SpanContext } from '@opentelemetry/api';
import type { EventRejectionReason } from '../errors.ts';
import { describeInvalidId } from '../context/tenant-id-format.ts';
import { boundedText, describeValue } from '../diagnostics/bounded-text.ts';
import type { EventEnvelope } from './envelope.ts';
import { nestsDeeperThan } from './json-nesting.ts';
import { parseTraceparent } from './traceparent.ts';

/** Largest envelope {@link parseEnvelope} reads by default, in bytes (1 MiB, NATS's default `max_payload`). */
export const MAX_ENVELOPE_BYTES = 1_048_576;
/** Deepest nesting of objects and arrays {@link parseEnvelope} accepts by default (the envelope itself is level 1). */
export const MAX_ENVELOPE_DEPTH = 64;

/** Bounds on what {@link parseEnvelope} reads. */
export interface EnvelopeLimits {
  /** Bodies longer than this are refused with reason `too_large`. Default {@link MAX_ENVELOPE_BYTES}. */
  readonly maxBytes?: number;
  /** Bodies nesting objects and arrays deeper than this are refused with reason `too_deep`. Default {@link MAX_ENVELOPE_DEPTH}. */
  readonly maxDepth?: number;
}

/** A parsed envelope and the producer's span context, when it carried one. */
export interface ParsedEnvelope {
  readonly envelope: EventEnvelope;
  readonly producer: SpanContext | undefined;
}

/** The outcome of {@link parseEnvelope}: the envelope, or why it was refused. */
export type ParseResult =
  | { readonly ok: true; readonly value: ParsedEnvelope }
  | { readonly ok: false; readonly reason: EventRejectionReason; readonly detail: string };

/** Header values a transport delivered beside the body, keyed by lower-case name. */
export type MessageHeaders = ReadonlyMap<string, string>;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;
const REQUIRED = ['id', 'source', 'type'] as const;
const OPTIONAL_STRINGS = ['subject', 'traceparent', 'tracestate', 'tenantid', 'actorid', 'datacontenttype', 'time'] as const;

function invalid(detail: string): ParseResult {
  return { ok: false, reason: 'invalid_envelope', detail };
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses and validates a structured-mode CloudEvent from `body`. Checks the
 * size and nesting depth first (`limits`), then `specversion` 1.0,
 * non-empty `id`/`source`/`type`, an RFC 3339 `time`, a JSON
 * `datacontenttype`, extension names, tenant and actor ids, and the
 * `traceparent`. When the envelope has no `traceparent`, the transport's
 * `traceparent`/`tracestate` headers are used instead. Never throws, and
 * every `detail` is at most a few hundred characters whatever the body.
 */
export function parseEnvelope(body: Uint8Array, headers: MessageHeaders = new Map(), limits: EnvelopeLimits = {}): ParseResult {
  const maxBytes = limits.maxBytes ?? MAX_ENVELOPE_BYTES;
  const maxDepth = limits.maxDepth ?? MAX_ENVELOPE_DEPTH;
  if (body.length > maxBytes) {
    return { ok: false, reason: 'too_large', detail: `body is ${body.length} bytes, more than the ${maxBytes} accepted` };
  }
  if (nestsDeeperThan(body, maxDepth)) {
    return { ok: false, reason: 'too_deep', detail: `body nests objects and arrays deeper than ${maxDepth} levels` };
  }
  try {
    return validate(body, headers);
  } catch (error) {
    return { ok: false, reason: 'invalid_envelope', detail: boundedText(`could not be validated: ${String(error)}`) };
  }
}

function validate(body: Uint8Array, headers: MessageHeaders): ParseResult {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(body));
  } catch (error) {
    return { ok: false, reason: 'malformed_json', detail: boundedText(`body is not UTF-8 JSON: ${(error as Error).message}`) };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: 'malformed_json', detail: 'body is JSON but not an object' };
  }
  return checkEnvelope(raw as Record<string, unknown>, (name) => headers.get(name));
}

/**
 * The checks {@link parseEnvelope} makes once the body is a JSON object:
 * the CloudEvents attributes, tenant and actor ids, and the `traceparent`
 * (from the `header` values when the envelope has none). Throws only on a bug.
 */
export function checkEnvelope(event: Record<string, unknown>, header: (name: string) => string | undefined): ParseResult {
  if (event['specversion'] !== '1.0') {
    return invalid(`specversion must be "1.0", got ${describeValue(event['specversion'])}`);
  }
  for (const field of REQUIRED) {
    const value = event[field];
    if (typeof value !== 'string' || value === '') return invalid(`${field} must be a non-empty string`);
  }
  for (const field of OPTIONAL_STRINGS) {
    if (event[field] !== undefined && typeof event[field] !== 'string') return invalid(`${field} must be a string`);
  }
  const time = event['time'] as string | undefined;
  if (time !== undefined && (!RFC3339.test(time) || Number.isNaN(Date.parse(time)))) {
    return invalid(`time must be an RFC 3339 timestamp, got ${describeValue(time)}`);
  }
  const contentType = event['datacontenttype'] as string | undefined;
  if (contentType !== undefined && !/^application\/(.+\+)?json\b/i.test(contentType)) {
    return invalid(`datacontenttype must be JSON, got ${describeValue(contentType)}`);
  }
  if ('data_base64' in event) return invalid('data_base64 is not supported; data must be a JSON value');
  for (const name of Object.keys(event)) {
    if (!EXTENSION_NAME.test(name) && name !== 'data') return invalid(`attribute name ${describeValue(name)} is not lower-case alphanumeric, 1-20 characters`);
  }
  for (const field of ['tenantid', 'actorid'] as const) {
    const value = event[field];
    const problem = value === undefined ? undefined : describeInvalidId(value);
    if (problem !== undefined) return invalid(boundedText(`${field} must be ${problem}`));
  }

  let producer: SpanContext | undefined;
  const traceparent = (event['traceparent'] as string | undefined) ?? header('traceparent');
  if (traceparent !== undefined) {
    const tracestate = event['traceparent'] === undefined ? header('tracestate') : (event['tracestate'] as string | undefined);
    const parsed = parseTraceparent(traceparent, tracestate);
    if (!parsed.ok) return { ok: false, reason: 'invalid_traceparent', detail: boundedText(parsed.detail) };
    producer = parsed.spanContext;
  }
  return { ok: true, value: { envelope: event as unknown as EventEnvelope, producer } };
}
