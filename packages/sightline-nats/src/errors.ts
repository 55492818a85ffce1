/**
 * Errors of the NATS transport. Each is a `SightlineError` with a stable
 * code; `cause` carries the NATS client's own error.
 */
import { SightlineError } from 'sightline';

/** The transport could not connect to any of its NATS servers, or could not set up its streams. */
export class NatsUnavailableError extends SightlineError {
  constructor(servers: readonly string[], detail: string, options?: ErrorOptions) {
    super(
      'SIGHTLINE_NATS_UNAVAILABLE',
      `Could not reach NATS JetStream at ${servers.join(', ')}: ${detail}. ` +
        'Check `servers` in natsTransport() and that nats-server runs with JetStream enabled (-js).',
      options,
    );
  }
}

/** JetStream did not acknowledge a publish within `publishTimeoutMs`; the event may not be stored. */
export class NatsPublishTimeoutError extends SightlineError {
  /** The subject of the publish that timed out. */
  readonly subject: string;

  constructor(subject: string, timeoutMs: number, options?: ErrorOptions) {
    super(
      'SIGHTLINE_NATS_PUBLISH_TIMEOUT',
      `No JetStream acknowledgement for ${subject} within publishTimeoutMs (${timeoutMs} ms): NATS is unreachable or slow. ` +
        'Publishing again with the same envelope id is safe (Nats-Msg-Id de-duplicates); raise `publishTimeoutMs` if the server is only slow.',
      options,
    );
    this.subject = subject;
  }
}

/** JetStream refused a publish (no stream for the subject, limits reached, permissions). */
export class NatsPublishError extends SightlineError {
  /** The subject of the refused publish. */
  readonly subject: string;

  constructor(subject: string, detail: string, options?: ErrorOptions) {
    super(
      'SIGHTLINE_NATS_PUBLISH_FAILED',
      `JetStream refused the publish to ${subject}: ${detail}. Check the stream's subjects and limits.`,
      options,
    );
    this.subject = subject;
  }
}
