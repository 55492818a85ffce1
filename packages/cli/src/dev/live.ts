/**
 * Live updates for the pages, as server-sent events: after data arrives a
 * page gets one `update` event (at most one every `intervalMillis`) telling
 * which signals changed, and fetches what it shows again.
 */
import type { ServerResponse } from 'node:http';
import type { Ingest } from './ingest.ts';

/** The open event streams of a viewer. */
export class LiveUpdates {
  readonly #clients = new Set<ServerResponse>();
  readonly #changed = new Set<'traces' | 'logs' | 'metrics'>();
  readonly #intervalMillis: number;
  #timer: NodeJS.Timeout | undefined;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #unlisten: () => void;

  constructor(ingest: Ingest, intervalMillis = 250) {
    this.#intervalMillis = intervalMillis;
    this.#unlisten = ingest.listen({
      onSpans: () => this.#changedSignal('traces'),
      onLogs: () => this.#changedSignal('logs'),
      onMetrics: () => this.#changedSignal('metrics'),
    });
    this.#heartbeat = setInterval(() => this.#write(': keep-alive\n\n'), 15_000);
    this.#heartbeat.unref();
  }

  /** Turns a response into an event stream until the client goes away. */
  open(response: ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    response.write('retry: 1000\n\n');
    this.#clients.add(response);
    response.once('close', () => this.#clients.delete(response));
  }

  /** Ends every stream and stops listening. */
  close(): void {
    this.#unlisten();
    clearInterval(this.#heartbeat);
    clearTimeout(this.#timer);
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }

  #changedSignal(signal: 'traces' | 'logs' | 'metrics'): void {
    this.#changed.add(signal);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      const data = JSON.stringify([...this.#changed]);
      this.#changed.clear();
      this.#write(`event: update\ndata: ${data}\n\n`);
    }, this.#intervalMillis);
  }

  #write(text: string): void {
    for (const client of this.#clients) client.write(text);
  }
}
