/**
 * Placing an order: price the lines from the catalogue, store the order,
 * charge it through the payments breaker, then publish `order.created`. The
 * whole of it is the `orders.place` span (module `orders`), with the
 * queries, the charge and the publish as its children.
 */
import { randomUUID } from 'node:crypto';
import { getTenantContext, withSpan } from 'sightline';
import { z } from 'zod';
import type { Catalogue } from './catalogue.ts';
import type { Order, ShopDatabase } from './database.ts';
import type { ShopBus } from './events.ts';
import type { PaymentsClient } from './payments-client.ts';
import { logger } from './logger.ts';

/** The body of `POST /orders`. */
export const orderRequestSchema = z.object({
  lines: z
    .array(z.object({ productId: z.string().min(1).max(64), quantity: z.number().int().min(1).max(20) }))
    .min(1)
    .max(10),
  coupon: z.string().min(1).max(32).optional(),
});

export type OrderRequest = z.infer<typeof orderRequestSchema>;

/** A line names a product the catalogue does not have. */
export class UnknownProductError extends Error {
  override readonly name = 'UnknownProductError';
}

export interface OrderService {
  /** Places an order for the tenant in context; rejects with the payments errors or {@link UnknownProductError}. */
  place(request: OrderRequest): Promise<Order>;
}

export function createOrderService(database: ShopDatabase, catalogue: Catalogue, payments: PaymentsClient, bus: ShopBus): OrderService {
  return {
    place: (request) =>
      withSpan('orders.place', { attributes: { 'app.module': 'orders' } }, async (span) => {
        const { tenantId } = getTenantContext();
        let totalCents = 0;
        for (const line of request.lines) {
          const product = await catalogue.find(line.productId);
          if (product === undefined) throw new UnknownProductError(`no product ${line.productId}`);
          totalCents += product.priceCents * line.quantity;
        }
        const id = randomUUID();
        span.setAttribute('app.order.id', id);
        span.setAttribute('app.order.total_cents', totalCents);
        const lines = request.lines.map(({ productId, quantity }) => ({ productId, quantity }));
        await database.insertOrder({ id, tenantId, status: 'pending', totalCents, lines });
        try {
          await payments.charge({ orderId: id, amountCents: totalCents });
        } catch (error) {
          logger.warn({ orderId: id, err: error }, 'payment failed');
          await database.setOrderStatus(tenantId, id, 'payment_failed');
          throw error;
        }
        await database.setOrderStatus(tenantId, id, 'paid');
        logger.info({ orderId: id, totalCents }, 'order placed');
        await bus.publish('order.created', { orderId: id, totalCents, lines, coupon: request.coupon });
        return { id, tenantId, status: 'paid' as const, totalCents, lines, createdAt: new Date().toISOString() };
      }),
  };
}
