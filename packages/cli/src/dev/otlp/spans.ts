/** Decodes a trace export request (`ExportTraceServiceRequest`, JSON or protobuf) into flat spans. */
import { attributesAt, badField, eachItem, enumAt, idAt, integerAt, objectsAt, optionalObject, stringAt } from './values.ts';
import type { Attributes, Origin } from './values.ts';

/** OTLP span kinds by their enum number. */
const SPAN_KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
/** A span kind by name, as the viewer shows it. */
export type SpanKindName = (typeof SPAN_KINDS)[number];
const STATUS_CODES = ['unset', 'ok', 'error'] as const;

/** A span event (an exception, a retry, a dead letter ...). */
export interface ViewerSpanEvent {
  readonly name: string;
  readonly timeNanos: bigint;
  readonly attributes: Attributes;
}

/** A link to a span of the same or another trace. */
export interface ViewerSpanLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: Attributes;
}

/** One span as the viewer keeps it. */
export interface ViewerSpan extends Origin {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: SpanKindName;
  readonly startNanos: bigint;
  readonly endNanos: bigint;
  readonly status: 'unset' | 'ok' | 'error';
  readonly statusMessage: string;
  readonly attributes: Attributes;
  readonly events: readonly ViewerSpanEvent[];
  readonly links: readonly ViewerSpanLink[];
}

/** The spans of a decoded request body; throws `OtlpRequestError` (400) naming the first bad field. */
export function decodeSpans(body: unknown): ViewerSpan[] {
  const spans: ViewerSpan[] = [];
  eachItem(body, 'resourceSpans', 'scopeSpans', 'spans', (span, path, origin) => {
    const status = optionalObject(span['status']) ?? {};
    const traceId = idAt(span, 'traceId', path, 16);
    const spanId = idAt(span, 'spanId', path, 8);
    if (traceId === '' || spanId === '') throw badField(path, "a span with a traceId and a spanId");
    const parentSpanId = idAt(span, 'parentSpanId', path, 8);
    spans.push({
      ...origin,
      traceId,
      spanId,
      parentSpanId: parentSpanId === '' ? undefined : parentSpanId,
      name: stringAt(span, 'name', path),
      kind: SPAN_KINDS[enumAt(span, 'kind', path)] ?? 'unspecified',
      startNanos: integerAt(span, 'startTimeUnixNano', path),
      endNanos: integerAt(span, 'endTimeUnixNano', path),
      status: STATUS_CODES[enumAt(status, 'code', `${path}.status`)] ?? 'unset',
      statusMessage: stringAt(status, 'message', `${path}.status`),
      attributes: attributesAt(span, 'attributes', path),
      events: objectsAt(span, 'events', path).map(([event, eventPath]) => ({
        name: stringAt(event, 'name', eventPath),
        timeNanos: integerAt(event, 'timeUnixNano', eventPath),
        attributes: attributesAt(event, 'attributes', eventPath),
      })),
      links: objectsAt(span, 'links', path).map(([link, linkPath]) => ({
        traceId: idAt(link, 'traceId', linkPath, 16),
        spanId: idAt(link, 'spanId', linkPath, 8),
        attributes: attributesAt(link, 'attributes', linkPath),
      })),
    });
  });
  return spans;
}
