/**
 * Recognises scrapes of Sightline's own metrics server, so the node:http
 * instrumentation makes no SERVER span for them: a Prometheus scrape every
 * few seconds would otherwise be most of a quiet service's traces.
 */
import type { IncomingMessage } from 'node:http';

/** Where the metrics server listens: its bound port and its metrics path. */
export interface ScrapeEndpoint {
  readonly port: number;
  readonly path: string;
}

/** True when `request` arrived on the metrics server's port for its metrics path (any query string). */
export function isMetricsScrape(request: IncomingMessage, endpoint: ScrapeEndpoint): boolean {
  return request.socket.localPort === endpoint.port && (request.url ?? '/').split('?', 1)[0] === endpoint.path;
}
