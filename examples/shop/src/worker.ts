/**
 * The consumers' process for the NATS variant (SHOP_NATS_URL set): billing
 * and shipping read `order.created` from JetStream, so each trace runs from
 * the shop's `POST /orders` into this process. Start it like the shop:
 *
 *   OTEL_SERVICE_NAME=shop-worker SHOP_NATS_URL=nats://127.0.0.1:4222 \
 *     node --conditions=source --import sightline/register examples/shop/src/worker.ts
 *
 * Prints `worker ready: metrics: <url>` once both consumer groups receive.
 * Start it before the shop publishes: the stream keeps an event only for the
 * groups that exist when it is published.
 */
import { currentTelemetry } from 'sightline';
import { createMetricsRegistry } from 'sightline/metrics';
import { natsSettings, shopConfig } from './config.ts';
import { subscribeConsumers } from './consumers.ts';
import { createShopBus } from './events.ts';

const nats = natsSettings(process.env);
if (nats === undefined) throw new Error('The worker consumes from NATS: set SHOP_NATS_URL (e.g. nats://127.0.0.1:4222).');
const telemetry = currentTelemetry();
const bus = createShopBus('shop-worker', telemetry?.metrics ?? createMetricsRegistry(), nats);
await subscribeConsumers(bus, shopConfig());
console.log(`worker ready: metrics: ${telemetry?.metricsUrl ?? 'none'}`);

const stop = (signal: NodeJS.Signals): void => {
  console.log(`worker: ${signal}, shutting down`);
  bus
    .close()
    .catch((error: unknown) => {
      console.error('worker: shutdown failed', error);
      process.exitCode = 1;
    })
    .finally(() => void currentTelemetry()?.shutdown());
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
