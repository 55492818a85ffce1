/**
 * The event envelope: a CloudEvents 1.0 event in structured JSON mode, with
 * the distributed-tracing extension (`traceparent`, `tracestate`) and
 * Sightline's `tenantid` and `actorid` extensions.
 */
import { tryGetTenantContext } from '../context/tenant-context.ts';
import { uuidv7 } from './uuid-v7.ts';

/** The media type of a structured-mode CloudEvent, used as the message content type on the wire. */
export const CLOUDEVENTS_JSON_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

/** A CloudEvents 1.0 envelope as Sightline writes and reads it. */
export interface EventEnvelope<Type extends string = string, Data = unknown> {
  readonly specversion: '1.0';
  /** A UUIDv7, unique per event; also the NATS `Nats-Msg-Id` and the idempotency key. */
  readonly id: string;
  /** The publishing service (a URI reference), e.g. `orders` or `//orders.example.com`. */
  readonly source: string;
  /** The event type, e.g. `order.created`; the destination handlers subscribe to. */
  readonly type: Type;
  /** When the event was published, RFC 3339. Lag is measured from it. */
  readonly time: string;
  /** Always `application/json`: `data` is a JSON value. */
  readonly datacontenttype: 'application/json';
  /** An optional subject within the source (an order id, a path). */
  readonly subject?: string;
  readonly data: Data;
  /** W3C `traceparent` of the publish span (distributed-tracing extension). */
  readonly traceparent?: string;
  /** W3C `tracestate` of the publish span, when it has one. */
  readonly tracestate?: string;
  /** The tenant the event belongs to. */
  readonly tenantid?: string;
  /** The user or actor inside the tenant that caused the event. */
  readonly actorid?: string;
}

/** What {@link createEnvelope} needs; tenant and actor default to the active tenant context. */
export interface EnvelopeInit<Type extends string, Data> {
  readonly type: Type;
  readonly source: string;
  readonly data: Data;
  readonly id?: string | undefined;
  readonly time?: Date | undefined;
  readonly subject?: string | undefined;
  readonly traceparent?: string | undefined;
  readonly tracestate?: string | undefined;
  readonly tenantId?: string | undefined;
  readonly actorId?: string | undefined;
}

/**
 * Builds a frozen envelope. `id` defaults to a new UUIDv7 and `time` to now;
 * `tenantid`/`actorid` come from `tenantId`/`actorId`, else from the active
 * tenant context (`withTenant`), else are left out. An explicit `tenantId`
 * without `actorId` leaves `actorid` out rather than mixing tenants.
 */
export function createEnvelope<Type extends string, Data>(init: EnvelopeInit<Type, Data>): EventEnvelope<Type, Data> {
  const tenant =
    init.tenantId === undefined
      ? tryGetTenantContext()
      : { tenantId: init.tenantId, ...(init.actorId === undefined ? {} : { userId: init.actorId }) };
  const actorId = init.actorId ?? tenant?.userId;
  // Assigned one by one, in this order (the JSON text keeps it), rather than spread from optional parts.
  const envelope: Record<string, unknown> = {
    specversion: '1.0',
    id: init.id ?? uuidv7(),
    source: init.source,
    type: init.type,
    time: (init.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
  };
  if (init.subject !== undefined) envelope['subject'] = init.subject;
  envelope['data'] = init.data;
  if (init.traceparent !== undefined) envelope['traceparent'] = init.traceparent;
  if (init.tracestate !== undefined) envelope['tracestate'] = init.tracestate;
  if (tenant !== undefined) envelope['tenantid'] = tenant.tenantId;
  if (actorId !== undefined) envelope['actorid'] = actorId;
  return Object.freeze(envelope) as unknown as EventEnvelope<Type, Data>;
}

/** The envelope as UTF-8 JSON bytes, the way transports carry it. */
export function encodeEnvelope(envelope: EventEnvelope): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(envelope));
}
