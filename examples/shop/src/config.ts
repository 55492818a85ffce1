/**
 * The shop's settings, read from its environment (SHOP_*; telemetry itself
 * reads only OTEL_*). Every value has a default that works on a machine with
 * the project's local services, so `node --import sightline/register main.ts`
 * runs as is.
 */

/** How the payments dependency misbehaves. */
export interface PaymentsBehaviour {
  /** Share of charges answered 503 at random. */
  readonly failureRate: number;
  /** Share of charges answered after `slowMs`. */
  readonly slowRate: number;
  readonly slowMs: number;
  /** Every `outageEveryMs` the dependency is down for its last `outageMs` (0: never). */
  readonly outageEveryMs: number;
  readonly outageMs: number;
}

export interface ShopConfig {
  readonly host: string;
  /** 0 picks a free port; the ready line on stdout names it. */
  readonly port: number;
  readonly databaseUrl: string;
  /** The PostgreSQL schema created at start and dropped at shutdown. */
  readonly schema: string;
  /** With a NATS URL the events go through JetStream and the consumers run in the worker process. */
  readonly nats: NatsSettings | undefined;
  readonly payments: PaymentsBehaviour;
  /** Share of billing runs that fail (and are retried). */
  readonly billingFailureRate: number;
}

export interface NatsSettings {
  readonly url: string;
  readonly stream: string;
  readonly subjectPrefix: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function number(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`Expected ${name} to be a number from ${min} to ${max}, got ${JSON.stringify(raw)}.`);
  }
  return value;
}

/** The NATS settings shared by the shop and the worker (they must agree on stream and subjects). */
export function natsSettings(env: Env): NatsSettings | undefined {
  const url = env['SHOP_NATS_URL'];
  if (url === undefined || url === '') return undefined;
  return { url, stream: env['SHOP_NATS_STREAM'] ?? 'SHOP_EVENTS', subjectPrefix: env['SHOP_NATS_SUBJECT_PREFIX'] ?? 'shop' };
}

/** The shop's configuration; throws naming the variable when one is unusable. */
export function shopConfig(env: Env = process.env): ShopConfig {
  const schema = env['SHOP_DB_SCHEMA'] ?? `shop_demo_${process.pid}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`Expected SHOP_DB_SCHEMA to be a lower-case SQL identifier, got ${JSON.stringify(schema)}.`);
  }
  return {
    host: env['SHOP_HOST'] ?? '127.0.0.1',
    port: number(env, 'SHOP_PORT', 3000, 0, 65_535),
    databaseUrl: env['SHOP_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test',
    schema,
    nats: natsSettings(env),
    payments: {
      failureRate: number(env, 'SHOP_PAYMENTS_FAILURE_RATE', 0.08, 0, 1),
      slowRate: number(env, 'SHOP_PAYMENTS_SLOW_RATE', 0.1, 0, 1),
      slowMs: number(env, 'SHOP_PAYMENTS_SLOW_MS', 250, 0, 60_000),
      outageEveryMs: number(env, 'SHOP_PAYMENTS_OUTAGE_EVERY_MS', 12_000, 1, 3_600_000),
      outageMs: number(env, 'SHOP_PAYMENTS_OUTAGE_MS', 3000, 0, 3_600_000),
    },
    billingFailureRate: number(env, 'SHOP_BILLING_FAILURE_RATE', 0.2, 0, 1),
  };
}
