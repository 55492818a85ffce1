/**
 * The options every HTTP server adapter takes, and their validation into a
 * frozen config. Bad options fail when the middleware is created, with a
 * message naming the option and its value.
 */
import { InvalidHttpOptionsError } from '../../errors.ts';
import type { MetricsRegistry } from '../../metrics/registry.ts';
import type { IdSource } from './id-source.ts';

/** Options of every HTTP server adapter; `Req` is the framework's request (or context) object. */
export interface HttpServerOptions<Req> {
  /**
   * The registry that receives `http_server_request_duration_seconds` and
   * `http_server_active_requests`; its tenant-label policy decides the
   * `tenant_id` label. Default: the process's default registry, which
   * telemetry serves and pushes (`defaultMetricsRegistry()`).
   */
  readonly registry?: MetricsRegistry | undefined;
  /**
   * Where the tenant id comes from. Default: the `x-tenant-id` header.
   * `false` reads no source; a `tenant.id` already in the incoming `baggage`
   * header is used whenever the source yields nothing.
   */
  readonly tenant?: IdSource<Req> | false;
  /** Where the user id comes from. Default: none (a `user.id` in baggage is kept). */
  readonly user?: IdSource<Req>;
  /**
   * Request paths (without query string) that are not measured: exact
   * strings such as `/healthz`, or regular expressions. Default: none.
   */
  readonly ignorePaths?: readonly (string | RegExp)[];
  /** The `http_route` label of requests that matched no route. Default: `unmatched`. */
  readonly unmatchedRoute?: string;
}

/** {@link HttpServerOptions} after validation and defaults. */
export interface ResolvedHttpServerConfig<Req> {
  /** The registry given, or undefined for the default registry (looked up when the middleware is made). */
  readonly registry: MetricsRegistry | undefined;
  readonly tenant: IdSource<Req> | undefined;
  readonly user: IdSource<Req> | undefined;
  readonly ignorePaths: readonly (string | RegExp)[];
  readonly unmatchedRoute: string;
}

/** The tenant header read when no `tenant` option is given. */
export const DEFAULT_TENANT_HEADER = 'x-tenant-id';

/** The `http_route` label of requests that matched no route, unless `unmatchedRoute` says otherwise. */
export const DEFAULT_UNMATCHED_ROUTE = 'unmatched';

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function fail(option: string, expected: string, value: unknown): never {
  throw new InvalidHttpOptionsError(option, `Expected \`${option}\` to be ${expected}, got ${describe(value)}.`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value instanceof RegExp) return String(value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function resolveIdSource<Req>(option: string, source: unknown): IdSource<Req> {
  if (typeof source === 'function') return source as IdSource<Req>;
  const expected = '{ header }, { claim, claims? } or a function of the request';
  if (!isObject(source)) fail(option, expected, source);
  if ('header' in source) {
    const { header } = source;
    if (typeof header !== 'string' || !HEADER_NAME.test(header)) {
      fail(`${option}.header`, 'an HTTP header name such as "x-tenant-id"', header);
    }
    return Object.freeze({ header: header.toLowerCase() });
  }
  if ('claim' in source) {
    const { claim, claims } = source;
    if (typeof claim !== 'string' || claim.length === 0) fail(`${option}.claim`, 'a non-empty claim name', claim);
    if (claims === undefined) return Object.freeze({ claim });
    if (typeof claims !== 'function') {
      fail(`${option}.claims`, 'a function returning the verified claims of a request', claims);
    }
    return Object.freeze({ claim, claims: claims as (request: Req) => unknown });
  }
  return fail(option, expected, source);
}

function resolveRegistry(registry: unknown): MetricsRegistry | undefined {
  if (registry === undefined) return undefined;
  if (
    !isObject(registry) ||
    typeof registry['histogram'] !== 'function' ||
    typeof registry['gauge'] !== 'function' ||
    !isObject(registry['tenantLabels'])
  ) {
    fail('registry', 'a MetricsRegistry from createMetricsRegistry()', registry);
  }
  return registry as unknown as MetricsRegistry;
}

function resolveIgnorePaths(paths: unknown): readonly (string | RegExp)[] {
  if (paths === undefined) return Object.freeze([]);
  if (!Array.isArray(paths)) fail('ignorePaths', 'an array of paths ("/healthz") or regular expressions', paths);
  return Object.freeze(
    paths.map((path: unknown, i) => {
      if (path instanceof RegExp) return path;
      if (typeof path !== 'string' || !path.startsWith('/')) {
        fail(`ignorePaths[${i}]`, 'a path starting with "/" or a regular expression', path);
      }
      return path;
    }),
  );
}

/**
 * Validates `options` and fills in defaults.
 *
 * @throws {InvalidHttpOptionsError} naming the first unusable option.
 */
export function resolveHttpServerOptions<Req>(options: HttpServerOptions<Req> = {}): ResolvedHttpServerConfig<Req> {
  if (!isObject(options)) fail('options', 'an object of middleware options', options);
  const registry = resolveRegistry(options.registry);
  const tenantOption = options.tenant ?? { header: DEFAULT_TENANT_HEADER };
  const tenant = tenantOption === false ? undefined : resolveIdSource<Req>('tenant', tenantOption);
  const user = options.user === undefined ? undefined : resolveIdSource<Req>('user', options.user);
  const unmatchedRoute = options.unmatchedRoute ?? DEFAULT_UNMATCHED_ROUTE;
  if (typeof unmatchedRoute !== 'string' || unmatchedRoute.length === 0) {
    fail('unmatchedRoute', 'a non-empty string', unmatchedRoute);
  }
  return Object.freeze({
    registry,
    tenant,
    user,
    ignorePaths: resolveIgnorePaths(options.ignorePaths),
    unmatchedRoute,
  });
}
