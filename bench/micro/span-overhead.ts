/**
 * What a span helper costs around a small unit of work: `withSpan` with no
 * SDK (the API's no-op), with the SDK recording every span (sampler
 * always_on, exporter none, so export cost is left out), and inside
 * `withTenant`, against the bare work.
 *
 * Run: bash scripts/bench.sh
 */
import { withSpan, withTenant } from 'sightline';
import { startTelemetry } from 'sightline/sdk';
import { compare } from './measure.ts';

const order = { id: 'o-1', items: [{ sku: 'A', qty: 2 }], total: 31.5 };
const work = (): string => JSON.stringify(order);
const workAsync = (): Promise<string> => Promise.resolve(work());

await compare('withSpan without an SDK (API no-op)', { name: 'bare async work', run: workAsync }, [
  { name: 'withSpan (no SDK)', run: () => withSpan('orders.place', () => workAsync()) },
]);

const telemetry = await startTelemetry({
  serviceName: 'bench',
  traces: { exporter: 'none' },
  sampler: { type: 'always_on' },
  instrumentations: { http: false, undici: false, pg: false, ioredis: false, express: false },
});
await compare('withSpan with the SDK recording every span', { name: 'bare async work', run: workAsync }, [
  { name: 'withSpan (SDK, sampled)', run: () => withSpan('orders.place', () => workAsync()) },
  { name: 'withTenant + withSpan (SDK, sampled)', run: () => withTenant({ tenantId: 'acme', userId: 'u-1' }, () => withSpan('orders.place', () => workAsync())) },
]);
await telemetry.shutdown();
