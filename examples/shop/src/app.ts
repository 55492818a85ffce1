/**
 * The shop's HTTP API (Express 5). `sightlineExpress` names each server span
 * after its route, records the request metrics and runs every handler in the
 * tenant context taken from the `x-tenant-id` header.
 */
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { MetricsRegistry } from 'sightline';
import { recordError, tryGetTenantContext } from 'sightline';
import { sightlineExpress } from 'sightline/express';
import type { Catalogue } from './catalogue.ts';
import type { ShopDatabase } from './database.ts';
import type { OrderService } from './orders.ts';
import { orderRequestSchema, UnknownProductError } from './orders.ts';
import { PaymentFailedError, PaymentsUnavailableError } from './payments-client.ts';

export interface AppParts {
  readonly registry: MetricsRegistry;
  readonly database: ShopDatabase;
  readonly catalogue: Catalogue;
  readonly orders: OrderService;
  /** What `/health` reports besides the status. */
  readonly describe: () => Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function param(request: Request, name: string): string {
  const value = request.params[name];
  return typeof value === 'string' ? value : '';
}

function requireTenant(_request: Request, response: Response, next: NextFunction): void {
  if (tryGetTenantContext() === undefined) {
    response.status(400).json({ error: 'missing_tenant', detail: 'send the tenant id in the x-tenant-id header' });
    return;
  }
  next();
}

export function createApp(parts: AppParts): express.Express {
  const app = express();
  // Mounted before sightlineExpress: a body parser mounted after it loses the
  // tenant context in the handlers that run once the body is read.
  app.use(express.json({ limit: '16kb' }));
  app.use(sightlineExpress({ registry: parts.registry, tenant: { header: 'x-tenant-id' }, ignorePaths: ['/health', '/metrics'] }));

  app.get('/health', async (_request, response) => {
    try {
      await parts.database.ping();
      response.json({ status: 'ok', ...parts.describe() });
    } catch (error) {
      response.status(503).json({ status: 'unavailable', reason: (error as Error).message });
    }
  });

  app.get('/products/:id', requireTenant, async (request, response) => {
    const product = await parts.catalogue.find(param(request, 'id'));
    if (product === undefined) response.status(404).json({ error: 'no_such_product' });
    else response.json(product);
  });

  app.post('/orders', requireTenant, async (request, response) => {
    const parsed = orderRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      response.status(400).json({ error: 'invalid_order', issues: parsed.error.issues.map((issue) => issue.message) });
      return;
    }
    try {
      response.status(201).json(await parts.orders.place(parsed.data));
    } catch (error) {
      if (error instanceof UnknownProductError) response.status(422).json({ error: 'unknown_product', detail: error.message });
      else if (error instanceof PaymentsUnavailableError) response.status(503).json({ error: 'payments_unavailable' });
      else if (error instanceof PaymentFailedError) response.status(502).json({ error: 'payment_failed' });
      else throw error;
    }
  });

  app.get('/orders/:id', requireTenant, async (request, response) => {
    const id = param(request, 'id');
    const tenant = tryGetTenantContext();
    const order = UUID.test(id) && tenant !== undefined ? await parts.database.findOrder(tenant.tenantId, id) : undefined;
    if (order === undefined) response.status(404).json({ error: 'no_such_order' });
    else response.json(order);
  });

  app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    recordError(error);
    response.status(500).json({ error: 'internal_error' });
  });
  return app;
}
