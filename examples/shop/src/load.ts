/**
 * The demo's load generator: a few concurrent clients spread over three
 * tenants, mixing product lookups (hot products hit the cache, the long tail
 * and unknown ids miss), orders (now and then one billing cannot handle, one
 * for a product that does not exist, one that is invalid), order reads and
 * unknown paths (404 on the `unmatched` route). Bounded by time.
 *
 * Run on its own against a running shop:
 *   node --conditions=source examples/shop/src/load.ts http://127.0.0.1:3000 [seconds]
 */
import { setTimeout as delay } from 'node:timers/promises';
import { PRODUCT_COUNT } from './database.ts';
import { POISON_COUPON } from './consumers.ts';

export const TENANTS = ['acme', 'globex', 'initech'] as const;

export type Action = 'product' | 'order' | 'order-read' | 'unknown-path';

export interface LoadOptions {
  readonly baseUrl: string;
  readonly seconds: number;
  /** Concurrent clients. Default 4. */
  readonly clients?: number;
}

export interface LoadReport {
  readonly seconds: number;
  readonly requests: number;
  /** Responses by HTTP status; `error` for requests that got no response. */
  readonly byStatus: ReadonlyMap<string, number>;
  /** Responses by action and status, e.g. `order 201`. */
  readonly byAction: ReadonlyMap<string, number>;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const productId = (): string =>
  Math.random() < 0.8 ? `p-${1 + Math.floor(Math.random() * 8)}` : `p-${1 + Math.floor(Math.random() * PRODUCT_COUNT)}`;

interface Request {
  readonly action: Action;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly tenant: string;
  readonly body?: unknown;
}

function nextRequest(orderCount: number, placed: readonly { id: string; tenant: string }[]): Request {
  const tenant = pick(TENANTS);
  const roll = Math.random();
  if (roll < 0.5) {
    const path = Math.random() < 0.06 ? `/products/p-${9000 + Math.floor(Math.random() * 50)}` : `/products/${productId()}`;
    return { action: 'product', method: 'GET', path, tenant };
  }
  if (roll < 0.8) {
    const lines = Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () => ({
      productId: Math.random() < 0.02 ? 'p-404' : productId(),
      quantity: 1 + Math.floor(Math.random() * 3),
    }));
    const body =
      Math.random() < 0.02
        ? { lines: [] }
        : orderCount === 2 || Math.random() < 0.04
          ? { lines, coupon: POISON_COUPON }
          : { lines };
    return { action: 'order', method: 'POST', path: '/orders', tenant, body };
  }
  if (roll < 0.92 && placed.length > 0) {
    const order = pick(placed);
    return { action: 'order-read', method: 'GET', path: `/orders/${order.id}`, tenant: Math.random() < 0.9 ? order.tenant : tenant };
  }
  return { action: 'unknown-path', method: 'GET', path: `/admin/${Math.random().toString(36).slice(2, 8)}`, tenant };
}

/** Runs the load for `seconds` and reports what the clients saw. */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const byStatus = new Map<string, number>();
  const byAction = new Map<string, number>();
  const placed: { id: string; tenant: string }[] = [];
  const count = (map: Map<string, number>, key: string): void => void map.set(key, (map.get(key) ?? 0) + 1);
  let orders = 0;
  let requests = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;

  const client = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const request = nextRequest(orders, placed);
      if (request.action === 'order') orders += 1;
      let status = 'error';
      try {
        const response = await fetch(options.baseUrl + request.path, {
          method: request.method,
          headers: { 'x-tenant-id': request.tenant, 'content-type': 'application/json' },
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
          signal: AbortSignal.timeout(5000),
        });
        status = String(response.status);
        const body = (await response.json().catch(() => undefined)) as { id?: unknown } | undefined;
        if (request.action === 'order' && response.status === 201 && typeof body?.id === 'string') {
          if (placed.length < 500) placed.push({ id: body.id, tenant: request.tenant });
        }
      } catch {
        status = 'error';
      }
      requests += 1;
      count(byStatus, status);
      count(byAction, `${request.action} ${status}`);
      await delay(5 + Math.random() * 20);
    }
  };
  await Promise.all(Array.from({ length: options.clients ?? 4 }, client));
  return { seconds: (performance.now() - started) / 1000, requests, byStatus, byAction };
}

if (import.meta.main) {
  const [baseUrl = 'http://127.0.0.1:3000', seconds = '15'] = process.argv.slice(2);
  const report = await runLoad({ baseUrl, seconds: Number(seconds) });
  console.log(`${report.requests} requests in ${report.seconds.toFixed(1)} s`);
  for (const [key, value] of [...report.byAction].sort()) console.log(`  ${key.padEnd(20)} ${value}`);
}
