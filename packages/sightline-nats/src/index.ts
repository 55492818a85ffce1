/**
 * `sightline-nats`: the NATS JetStream transport for the Sightline event
 * bus. Every export is listed by name; types are on `export type` lines.
 */
export { natsTransport } from './nats-transport.ts';
export type { NatsTransport } from './nats-transport.ts';
export type { NatsTransportOptions, ResolvedNatsTransportConfig } from './options.ts';
export { DEAD_LETTER_HEADERS } from './dead-letter-headers.ts';
export { NatsPublishError, NatsPublishTimeoutError, NatsUnavailableError } from './errors.ts';
