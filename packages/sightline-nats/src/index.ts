/**
 * `sightline-nats`: the NATS JetStream transport for the Sightline event
 * bus. Every export is listed by name; types are on `export type` lines.
 */
export { DEAD_LETTER_HEADERS, natsTransport } from './nats-transport.ts';
export type { NatsTransport, NatsTransportOptions, ResolvedNatsTransportConfig } from './nats-transport.ts';
export { NatsPublishError, NatsPublishTimeoutError, NatsUnavailableError } from './errors.ts';
