/**
 * Examples for docs/events.md. Type-checked with the rest of the repository.
 */
import { Redis } from 'ioredis';
import { z } from 'zod';
import { withTenant } from 'sightline';
import { createEventBus, EventQueueFullError, idempotent, memoryTransport, redisIdempotencyStore } from 'sightline/events';
import type { EventBus } from 'sightline/events';
import { natsTransport } from 'sightline-nats';
import { createMetricsRegistry } from '../../packages/sightline/src/metrics/registry.ts';

/** The event types of this service and their payloads. */
interface ShopEvents extends Record<string, unknown> {
  'order.created': { orderId: string; total: number };
  'order.shipped': { orderId: string; carrier: string };
}

export async function memoryBus(): Promise<void> {
  const registry = createMetricsRegistry();
  await using bus = createEventBus<ShopEvents>({
    source: 'shop',
    registry,
    transport: memoryTransport({ capacity: 10_000, onFull: 'reject' }),
  });

  bus.subscribe(
    'order.created',
    async (event, { attempt }) => {
      // Runs in the event's tenant context and a `process order.created` span.
      await chargeCard(event.data.orderId, event.data.total, attempt);
    },
    {
      group: 'billing',
      concurrency: 8,
      maxDeliver: 5,
      retry: { initialDelayMs: 200, maxDelayMs: 10_000 },
      schema: z.object({ orderId: z.string(), total: z.number().positive() }),
    },
  );

  try {
    await withTenant({ tenantId: 'acme', userId: 'u-42' }, () =>
      bus.publish('order.created', { orderId: 'o-1', total: 99.5 }),
    );
  } catch (error) {
    if (error instanceof EventQueueFullError) {
      // The event was not accepted: answer 503, or retry later.
    }
    throw error;
  }
}

export async function jetStreamBus(): Promise<EventBus<ShopEvents>> {
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  const bus = createEventBus<ShopEvents>({
    source: 'shop',
    transport: natsTransport({ servers: 'nats://127.0.0.1:4222', stream: 'SHOP_EVENTS', subjectPrefix: 'shop', publishTimeoutMs: 3000 }),
  });
  const shipping = bus.subscribe(
    'order.shipped',
    idempotent(redisIdempotencyStore(redis, { prefix: 'shop:processed:' }), async (event) => {
      await notifyCustomer(event.data.orderId, event.data.carrier);
    }),
    { group: 'notifications', concurrency: 4, maxDeliver: 10, deadLetter: 'notifications' },
  );
  await shipping.ready();
  return bus;
}

async function chargeCard(_orderId: string, _total: number, _attempt: number): Promise<void> {}
async function notifyCustomer(_orderId: string, _carrier: string): Promise<void> {}
