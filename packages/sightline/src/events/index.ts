/**
 * `sightline/events`: the event bus, its envelope, the memory transport,
 * the transport contract and the idempotency helper. Every export is listed
 * by name; types are on `export type` lines.
 */
export { createEventBus } from './event-bus.ts';
export type { EventBus, EventBusOptions, PublishOptions, SubscribeOptions, Subscription } from './event-bus.ts';
export { DEAD_LETTER_SPAN_EVENT, RETRY_SPAN_EVENT } from './dispatcher.ts';
export type { EventHandler, HandlerContext, TraceLinkMode } from './dispatcher.ts';
export { CLOUDEVENTS_JSON_CONTENT_TYPE, createEnvelope, encodeEnvelope } from './envelope.ts';
export type { EnvelopeInit, EventEnvelope } from './envelope.ts';
export type { LocalEnvelope } from './local-envelope.ts';
export { MAX_ENVELOPE_BYTES, MAX_ENVELOPE_DEPTH, parseEnvelope } from './parse-envelope.ts';
export type { EnvelopeLimits, MessageHeaders, ParsedEnvelope, ParseResult } from './parse-envelope.ts';
export { formatTraceparent, parseTraceparent } from './traceparent.ts';
export type { TraceparentResult } from './traceparent.ts';
export { uuidv7, uuidv7Time } from './uuid-v7.ts';
export { memoryTransport } from './memory-transport.ts';
export type { MemoryDeadLetter, MemoryTransport, MemoryTransportOptions } from './memory-transport.ts';
export type {
  DeadLetterInfo,
  DeadLetterReason,
  EventTransport,
  OutgoingMessage,
  SubscriptionSpec,
  TransportCapabilities,
  TransportMessage,
  TransportSubscription,
} from './transport.ts';
export type { RetryOptions } from './retry-policy.ts';
export { idempotent, memoryIdempotencyStore, redisIdempotencyStore } from './idempotency.ts';
export type {
  ClaimResult,
  IdempotencyOptions,
  IdempotencyStore,
  MemoryIdempotencyStoreOptions,
  RedisIdempotencyStoreOptions,
  RedisLikeClient,
} from './idempotency.ts';
export {
  DuplicateSubscriptionError,
  EventBusClosedError,
  EventInProgressError,
  EventHandlerTimeoutError,
  EventQueueFullError,
  EventTooLargeError,
  InvalidEventOptionError,
} from '../errors.ts';
export type { EventRejectionReason } from '../errors.ts';
