/**
 * The app of docs/quickstart.md: a tiny HTTP service. Run it with
 * `node --import sightline/register quickstart.ts` and it needs no telemetry
 * code at all; `startExplicitly` shows the same with one call instead.
 */
import { createServer } from 'node:http';
import { withSpan, withTenant } from 'sightline';
import { startTelemetry } from 'sightline/sdk';

export function serve(): void {
  createServer((req, res) => {
    void withTenant({ tenantId: 'acme', userId: 'u-1' }, () =>
      withSpan('greeting.render', { attributes: { 'app.module': 'greeting' } }, () => {
        res.end(`hello from ${req.url ?? '/'}\n`);
      }),
    );
  }).listen(3000);
}

export async function startExplicitly(): Promise<void> {
  // Must run before the app imports what should be instrumented (node:http, express, pg, ioredis).
  await startTelemetry({ serviceName: 'quickstart', traces: { exporter: 'console' } });
  serve();
}
