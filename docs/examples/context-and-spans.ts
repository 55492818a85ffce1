/**
 * Examples for docs/context-and-spans.md. Type-checked with the rest of the
 * repository; each function shows one helper.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD } from '@opentelemetry/semantic-conventions';
import {
  getTenantContext,
  hashUserId,
  measure,
  recordError,
  spanAttributes,
  traced,
  tryGetTenantContext,
  withDbSpan,
  withEventSpan,
  withHttpClientSpan,
  withSpan,
  withTenant,
} from 'sightline';
import { createBaggagePropagator, TenantSpanProcessor } from 'sightline/sdk';

interface Order {
  readonly id: string;
  readonly total: number;
}

declare function saveOrder(order: Order): Promise<void>;
declare function query(sql: string, params: readonly unknown[]): Promise<readonly Order[]>;

/** Everything inside the callback, including awaited work, carries tenant.id and user.id. */
export async function handleRequest(tenantId: string, userId: string, order: Order): Promise<void> {
  await withTenant({ tenantId, userId }, () => placeOrder(order));
}

/** A span around a unit of work, labelled with its module for span metrics. */
export function placeOrder(order: Order): Promise<string> {
  const attributes = spanAttributes().module('orders').operation('place').set(ATTR_HTTP_REQUEST_METHOD, 'POST').build();
  return withSpan('orders.place', { attributes }, async (span) => {
    const { tenantId } = getTenantContext();
    span.setAttribute('order.total', order.total);
    const valid = measure('validate', () => order.total > 0);
    if (!valid) throw new RangeError(`order ${order.id} of tenant ${tenantId} has no total`);
    await saveOrder(order);
    return order.id;
  });
}

/** `traced` keeps the method's signature and `this`. */
export class OrderService {
  readonly table = 'orders';

  findById = traced(
    async function findById(this: OrderService, id: string): Promise<Order | undefined> {
      const rows = await withDbSpan(
        { system: 'postgresql', operation: 'SELECT', collection: this.table, namespace: 'shop', statement: `SELECT * FROM ${this.table} WHERE id = $1` },
        () => query(`SELECT * FROM ${this.table} WHERE id = $1`, [id]),
      );
      return rows[0];
    },
    { name: 'orders.find_by_id' },
  );
}

/** An outgoing call: the span gives the headers to send and reads the response status. */
export function fetchInventory(sku: string): Promise<Response> {
  const url = `https://inventory.internal/items/${encodeURIComponent(sku)}`;
  return withHttpClientSpan({ method: 'GET', url }, ({ headers }) => fetch(url, { headers }));
}

/** Publishing and consuming a message with the trace and tenant carried in its headers. */
export async function publishAndConsume(): Promise<void> {
  const message = { id: 'evt-1', headers: {} as Record<string, string>, data: { orderId: 'o-1' } };
  await withEventSpan({ system: 'memory', destination: 'order.created', operation: 'publish', messageId: message.id }, async () => {
    propagation.inject(context.active(), message.headers);
    await Promise.resolve();
  });

  const extracted = propagation.extract(context.active(), message.headers);
  const producer = trace.getSpanContext(extracted);
  await withEventSpan(
    {
      system: 'memory',
      destination: 'order.created',
      operation: 'process',
      messageId: message.id,
      consumerGroup: 'billing',
      parentContext: extracted,
      ...(producer !== undefined && { links: [{ context: producer }] }),
    },
    async () => {
      const tenant = tryGetTenantContext();
      await Promise.resolve(tenant);
    },
  );
}

/** Recording a handled error without failing the caller. */
export function tolerateCacheFailure(read: () => string): string | undefined {
  try {
    return read();
  } catch (error) {
    recordError(error);
    return undefined;
  }
}

/** What telemetry setup installs (shown for a hand-built SDK). */
export const processor = new TenantSpanProcessor({ hashUserIds: true, userIdSalt: 'from-a-secret-store' });
export const baggagePropagator = createBaggagePropagator({ allowedKeys: ['tenant.id'] });
export const userPseudonym = hashUserId('user-42', 'from-a-secret-store');
