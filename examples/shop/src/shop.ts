/**
 * Assembles the shop: database, cached catalogue, payments (server and breaker),
 * event bus (and, with the memory transport, the consumers), the HTTP API.
 * Metrics go into the registry of the running telemetry, which
 * `OTEL_METRICS_EXPORTER=prometheus` serves; without it the API serves them
 * at `/metrics` itself.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { currentTelemetry } from 'sightline';
import { createMetricsHandler, createMetricsRegistry } from 'sightline/metrics';
import type { Subscription } from 'sightline/events';
import { createApp } from './app.ts';
import { createCatalogue } from './catalogue.ts';
import type { ShopConfig } from './config.ts';
import { subscribeConsumers } from './consumers.ts';
import { openDatabase } from './database.ts';
import { createShopBus } from './events.ts';
import { createOrderService } from './orders.ts';
import { createPaymentsClient } from './payments-client.ts';
import { startPaymentsServer } from './payments-server.ts';

export interface Shop extends AsyncDisposable {
  /** Base URL of the API. */
  readonly url: string;
  /** Where the metrics are scraped. */
  readonly metricsUrl: string;
  /**
   * Stops accepting requests, lets those in flight finish, closes the bus
   * (draining its consumers), the payments breaker and server, and drops the
   * database schema. Idempotent.
   */
  close(): Promise<void>;
}

export async function startShop(config: ShopConfig): Promise<Shop> {
  const telemetry = currentTelemetry();
  const registry = telemetry?.metrics ?? createMetricsRegistry();
  const database = await openDatabase(config.databaseUrl, config.schema, registry);
  const paymentsServer = await startPaymentsServer(config.payments, registry);
  const payments = createPaymentsClient(paymentsServer.url, registry);
  const catalogue = createCatalogue(database, registry);
  const bus = createShopBus('shop', registry, config.nats);
  const consumers: Subscription[] = config.nats === undefined ? await subscribeConsumers(bus, config) : [];
  const orders = createOrderService(database, catalogue, payments, bus);

  const app = createApp({
    registry,
    database,
    catalogue,
    orders,
    describe: () => ({ transport: config.nats === undefined ? 'memory' : 'nats', consumers: consumers.length, metricsUrl }),
  });
  if (telemetry?.metricsUrl === undefined) app.get('/metrics', createMetricsHandler(registry));
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const url = `http://${config.host}:${(server.address() as AddressInfo).port}`;
  const metricsUrl = telemetry?.metricsUrl ?? `${url}/metrics`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await bus.close();
      await payments.close();
      await paymentsServer.close();
      catalogue[Symbol.dispose]();
      await database.close();
    })());
  return { url, metricsUrl, close, [Symbol.asyncDispose]: close };
}
