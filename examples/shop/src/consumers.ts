/**
 * The consumers of `order.created`: billing (its ledger fails now and then,
 * so runs are retried; an order with the coupon `POISON` can never be billed
 * and ends as a dead letter) and shipping. Each run is a `process
 * order.created` span in the event's trace and tenant context; the work
 * inside is a span of its own.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { tryGetTenantContext, withSpan } from 'sightline';
import type { Subscription } from 'sightline/events';
import type { OrderCreated, ShopBus } from './events.ts';
import { logger } from './logger.ts';

/** A coupon code billing cannot handle: the order is dead-lettered after its retries. */
export const POISON_COUPON = 'POISON';

export interface ConsumerOptions {
  /** Share of billing runs whose ledger write fails (they are retried). */
  readonly billingFailureRate: number;
}

class LedgerUnavailableError extends Error {
  override readonly name = 'LedgerUnavailableError';
}

class UnknownCouponError extends Error {
  override readonly name = 'UnknownCouponError';
}

async function bill(order: OrderCreated, failureRate: number): Promise<void> {
  await withSpan('billing.charge', { attributes: { 'app.module': 'billing', 'app.order.id': order.orderId } }, async () => {
    try {
      if (order.coupon === POISON_COUPON) throw new UnknownCouponError(`coupon ${order.coupon} is not in the coupon book`);
      await delay(5 + Math.random() * 20);
      if (Math.random() < failureRate) throw new LedgerUnavailableError('ledger write timed out');
      logger.info({ orderId: order.orderId, totalCents: order.totalCents }, 'order billed');
    } catch (error) {
      logger.warn({ orderId: order.orderId, err: error }, 'billing failed; the event will be retried or dead-lettered');
      throw error;
    }
  });
}

async function ship(order: OrderCreated): Promise<void> {
  await withSpan('shipping.schedule', { attributes: { 'app.module': 'shipping', 'app.order.id': order.orderId } }, async (span) => {
    const tenant = tryGetTenantContext()?.tenantId ?? 'unknown';
    span.setAttribute('app.shipping.warehouse', tenant === 'acme' ? 'east' : 'west');
    await delay(10 + Math.random() * 30);
    logger.info({ orderId: order.orderId }, 'shipment scheduled');
  });
}

/** Subscribes billing and shipping; resolves once both receive. */
export async function subscribeConsumers(bus: ShopBus, options: ConsumerOptions): Promise<Subscription[]> {
  const subscriptions = [
    bus.subscribe('order.created', (event) => bill(event.data, options.billingFailureRate), {
      group: 'billing',
      concurrency: 4,
      maxDeliver: 3,
      retry: { initialDelayMs: 50, maxDelayMs: 400 },
    }),
    bus.subscribe('order.created', (event) => ship(event.data), { group: 'shipping', concurrency: 4, maxDeliver: 3 }),
  ];
  await Promise.all(subscriptions.map((subscription) => subscription.ready()));
  return subscriptions;
}
