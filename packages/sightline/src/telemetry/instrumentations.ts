/**
 * The curated automatic instrumentations: node:http (server spans and
 * request metrics from Sightline's own lean instrumentation, client spans
 * from OpenTelemetry's), undici (Node's `fetch`), pg, ioredis, express,
 * fastify (route templates only, see `fastify-routes.ts`), and the pino and winston
 * loggers (a record written inside a span gets `trace_id`, `span_id`,
 * `trace_flags` and `tenant.id`; with a logs exporter it is also sent as an
 * OTLP log record). Each is switched by
 * `config.instrumentations`, and a library instrumentation is created only
 * when the library is installed, so an app without pg never loads the pg
 * instrumentation. The OpenTelemetry auto-instrumentations bundle is not used.
 *
 * An instrumentation patches a module when it is loaded, so telemetry must
 * start before the app imports what it instruments. When that order is
 * broken (a CommonJS module already in `require.cache`, or an ES module entry
 * without the `--import sightline/register` loader hook) a warning says so,
 * once per process.
 */
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { context, diag } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { InstrumentationName } from './config/types.ts';
import { isLoaderHookRegistered } from './loader-hook.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';
import { TENANT_ID_KEY } from '../context/keys.ts';
import { tenantFromContext } from '../context/tenant-context.ts';

type Switches = { readonly [K in InstrumentationName]: boolean };

/** How the instrumentations are configured beyond being switched on. */
export interface InstrumentationSettings {
  /** Incoming node:http requests that get no SERVER span (scrapes of the metrics server). */
  readonly ignoreIncomingRequest: (request: IncomingMessage) => boolean;
  /** Where the HTTP server instrumentation records request metrics. */
  readonly registry: MetricsRegistry;
  /** Whether the pino and winston instrumentations send records to the logs pipeline (a logs exporter is configured). */
  readonly sendLogs: boolean;
  /** Whether the sampler decides on span attributes: the HTTP server span then gets its request attributes when it starts. */
  readonly samplerReadsAttributes: boolean;
  /** The headers without which the propagator extracts nothing, or `undefined` when any header may carry context. */
  readonly contextHeaders: readonly string[] | undefined;
}

/** Adds `tenant.id` to a log record written in a tenant's context (trace_id, span_id and trace_flags come from the instrumentation). */
function addTenant(_span: unknown, record: Record<string, unknown>): void {
  const tenant = tenantFromContext(context.active());
  if (tenant !== undefined) record[TENANT_ID_KEY] = tenant.tenantId;
}

interface Candidate {
  /** The npm modules the instrumentation patches; empty for Node built-ins reached without a module load. */
  readonly modules: readonly string[];
  /** Whether the instrumentation patches a module at load time (as opposed to subscribing to diagnostics channels). */
  readonly patchesOnLoad: boolean;
  readonly create: (settings: InstrumentationSettings) => Promise<Instrumentation | Instrumentation[]>;
}

const CANDIDATES: { readonly [K in InstrumentationName]: Candidate } = {
  http: {
    modules: [],
    patchesOnLoad: true,
    create: async ({ ignoreIncomingRequest, registry, samplerReadsAttributes, contextHeaders }) => [
      new (await import('@opentelemetry/instrumentation-http')).HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
      new (await import('./http-server/http-server-instrumentation.ts')).HttpServerInstrumentation({ registry, ignoreIncomingRequest, samplerReadsAttributes, contextHeaders }),
    ],
  },
  undici: {
    modules: [],
    patchesOnLoad: false,
    create: async () => new (await import('@opentelemetry/instrumentation-undici')).UndiciInstrumentation(),
  },
  pg: {
    modules: ['pg', 'pg-pool'],
    patchesOnLoad: true,
    create: async () => new (await import('@opentelemetry/instrumentation-pg')).PgInstrumentation(),
  },
  ioredis: {
    modules: ['ioredis'],
    patchesOnLoad: true,
    create: async () => new (await import('@opentelemetry/instrumentation-ioredis')).IORedisInstrumentation(),
  },
  express: {
    modules: ['express'],
    patchesOnLoad: true,
    create: async () => new (await import('@opentelemetry/instrumentation-express')).ExpressInstrumentation(),
  },
  fastify: {
    modules: ['fastify'],
    patchesOnLoad: false,
    create: async () => new (await import('./fastify-routes.ts')).FastifyRouteInstrumentation(),
  },
  pino: {
    modules: ['pino'],
    patchesOnLoad: true,
    create: async ({ sendLogs }) => new (await import('@opentelemetry/instrumentation-pino')).PinoInstrumentation({ logHook: addTenant, disableLogSending: !sendLogs }),
  },
  winston: {
    modules: ['winston'],
    patchesOnLoad: true,
    create: async ({ sendLogs }) => new (await import('@opentelemetry/instrumentation-winston')).WinstonInstrumentation({ logHook: addTenant, disableLogSending: !sendLogs }),
  },
};

const LATE_WARNING_CODE = 'SIGHTLINE_INSTRUMENTATION_LATE';
const warnedKey = Symbol.for('sightline.telemetry.lateInstrumentationWarned');

/**
 * Creates (and thereby enables) the instrumentations that are switched on and
 * whose library is installed, in a fixed order. They record to the global
 * tracer provider once it is registered.
 */
export async function createInstrumentations(switches: Switches, settings: InstrumentationSettings): Promise<Instrumentation[]> {
  const chosen = (Object.keys(CANDIDATES) as InstrumentationName[]).filter((name) => {
    const candidate = CANDIDATES[name];
    if (!switches[name]) return false;
    const [primary] = candidate.modules;
    if (primary === undefined || isInstalled(primary)) return true;
    diag.debug(`sightline: ${name} instrumentation skipped, the '${primary}' module is not installed`);
    return false;
  });
  warnAboutLateInstrumentation(chosen);
  return (await Promise.all(chosen.map((name) => CANDIDATES[name].create(settings)))).flat();
}

function appRequire(): NodeJS.Require {
  return createRequire(join(process.cwd(), 'noop.js'));
}

function isInstalled(moduleName: string): boolean {
  try {
    appRequire().resolve(moduleName);
    return true;
  } catch {
    try {
      import.meta.resolve(moduleName);
      return true;
    } catch {
      return false;
    }
  }
}

function warnAboutLateInstrumentation(chosen: readonly InstrumentationName[]): void {
  const globalState = globalThis as { [warnedKey]?: boolean };
  if (globalState[warnedKey] === true) return;
  const messages: string[] = [];
  const loaded = chosen.flatMap((name) => CANDIDATES[name].modules.filter(isInRequireCache));
  if (loaded.length > 0) {
    messages.push(
      `${loaded.map((m) => `'${m}'`).join(', ')} ${loaded.length === 1 ? 'was' : 'were'} loaded before telemetry started ` +
        'and may not be instrumented. Start telemetry first: `node --import sightline/register app.js`, ' +
        'or call startTelemetry() before importing these modules.',
    );
  }
  const needsHook = chosen.some((name) => CANDIDATES[name].patchesOnLoad);
  if (needsHook && isEsmEntry() && !isLoaderHookRegistered()) {
    messages.push(
      'The app is an ES module and the instrumentation loader hook is not registered, so imported modules ' +
        "(node:http, express, pg, ioredis, pino, winston) are not instrumented. Start it with 'node --import sightline/register app.js'.",
    );
  }
  if (messages.length === 0) return;
  globalState[warnedKey] = true;
  const message = `sightline: ${messages.join(' ')}`;
  diag.warn(message);
  process.emitWarning(message, { code: LATE_WARNING_CODE });
}

function isInRequireCache(moduleName: string): boolean {
  const segment = `${sep}node_modules${sep}${moduleName}${sep}`;
  return Object.keys(appRequire().cache).some((path) => path.includes(segment));
}

/** True when the process entry point is an ES module (CommonJS entries set `require.main`). */
function isEsmEntry(): boolean {
  return appRequire().main === undefined;
}
