/**
 * The shop's events and its bus: the memory transport by default, NATS
 * JetStream when SHOP_NATS_URL is set (then the shop publishes and the
 * worker process consumes, and each trace crosses the two).
 */
import type { MetricsRegistry } from 'sightline';
import { createEventBus, memoryTransport } from 'sightline/events';
import type { EventBus } from 'sightline/events';
import { natsTransport } from 'sightline-nats';
import type { NatsSettings } from './config.ts';

export interface OrderCreated {
  readonly orderId: string;
  readonly totalCents: number;
  readonly lines: readonly { readonly productId: string; readonly quantity: number }[];
  readonly coupon?: string | undefined;
}

/** Event types and their payloads. */
export interface ShopEvents extends Record<string, unknown> {
  'order.created': OrderCreated;
}

export type ShopBus = EventBus<ShopEvents>;

/** The bus of one process; `source` names the process in each envelope. */
export function createShopBus(source: string, registry: MetricsRegistry, nats: NatsSettings | undefined): ShopBus {
  const transport =
    nats === undefined
      ? memoryTransport({ capacity: 1000 })
      : natsTransport({
          servers: nats.url,
          stream: nats.stream,
          subjectPrefix: nats.subjectPrefix,
          name: source,
          ackWaitMs: 10_000,
        });
  return createEventBus<ShopEvents>({ source, registry, transport });
}
