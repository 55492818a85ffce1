/**
 * The shop's entry point. Start it with Sightline's zero-code entry and only
 * OTEL_* variables for telemetry (SHOP_* for the shop itself, see config.ts):
 *
 *   OTEL_SERVICE_NAME=shop OTEL_METRICS_EXPORTER=prometheus \
 *     node --conditions=source --import sightline/register examples/shop/src/main.ts
 *
 * Prints one line `shop ready: <url> metrics: <url>` once it serves. On
 * SIGTERM or SIGINT it stops accepting, finishes what is in flight, closes
 * everything, then awaits the telemetry flush, and the process ends on its
 * own (no process.exit, which would cut the flush short).
 */
import { currentTelemetry } from 'sightline';
import { shopConfig } from './config.ts';
import { startShop } from './shop.ts';

const shop = await startShop(shopConfig());
console.log(`shop ready: ${shop.url} metrics: ${shop.metricsUrl}`);

const stop = (signal: NodeJS.Signals): void => {
  console.log(`shop: ${signal}, shutting down`);
  shop
    .close()
    .catch((error: unknown) => {
      console.error('shop: shutdown failed', error);
      process.exitCode = 1;
    })
    .finally(() => void currentTelemetry()?.shutdown());
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
