/**
 * The packages as users get them. The three published packages are packed
 * (scripts/pack.ts) and installed with a plain `npm install` (so peer ranges
 * must resolve without `--legacy-peer-deps`) into fresh apps copied from
 * test/fixtures/published-apps: ES module TypeScript (`module: nodenext`,
 * checked by tsc), CommonJS with `require`, Express 4 with Fastify 4 and
 * ioredis 5 (CommonJS TypeScript, checked by tsc), Express 5. Each app is
 * installed once and run on Node 24 and Node 22 with `--import
 * sightline/register` or `-r sightline/register` and only OTEL_* variables;
 * its spans are decoded from the OTLP bytes a real receiver got.
 *
 * The installs share the user's npm cache (`--prefer-offline`); the first
 * run on a machine fetches from the npm registry.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { packPackages, PUBLISHED_PACKAGES } from '../../../scripts/pack.ts';
import { spawnApp } from './support/child-app.ts';
import { startHttpReceiver } from './support/otlp-receiver.ts';
import type { ReceivedSpan } from './support/otlp-receiver.ts';
import { waitFor } from './support/poll.ts';

const run = promisify(execFile);
const FIXTURES = fileURLToPath(new URL('./fixtures/published-apps/', import.meta.url));
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const INSTALL_MILLIS = 600_000;

function node22(): string {
  const path = process.env['SIGHTLINE_NODE22'];
  if (path === undefined || path === '') throw new Error('SIGHTLINE_NODE22 is not set: run the tests with `bash scripts/test.sh`');
  return path;
}

const NODES = [
  ['Node 24', process.execPath],
  ['Node 22', node22()],
] as const;

/** A running app: where to send requests (from its first stdout line). */
type Ports = Record<string, number | string>;

interface AppCase {
  readonly name: string;
  /** The app's entry after the build, relative to its folder. */
  readonly entry: string;
  readonly flag: '--import' | '-r';
  /** Which tarballs it installs: the CLI and the NATS transport go into one app only. */
  readonly packages: 'all' | 'sightline';
  /** Sends the app its requests. */
  exercise(ports: Ports): Promise<void>;
  /** Checks the spans received (all of one service); returns once every expected span is there, or undefined to wait. */
  expect(spans: readonly ReceivedSpan[]): true | undefined;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<void> {
  const response = await fetch(url, { headers });
  assert.equal(response.status, 200, `${url} answered ${response.status}`);
  await response.arrayBuffer();
}

function named(spans: readonly ReceivedSpan[], name: string, kind: ReceivedSpan['kind']): ReceivedSpan | undefined {
  return spans.find((span) => span.name === name && span.kind === kind);
}

/** The server span and its child `childName` when both arrived, with the child checked to be in the server span's trace. */
function serverAndChild(spans: readonly ReceivedSpan[], serverName: string, childName: string): [ReceivedSpan, ReceivedSpan] | undefined {
  const server = named(spans, serverName, 'server');
  const child = spans.find((span) => span.name === childName);
  if (server === undefined || child === undefined) return undefined;
  assert.equal(child.traceId, server.traceId, `${childName} is in the trace of ${serverName}`);
  return [server, child];
}

const APPS: readonly AppCase[] = [
  {
    name: 'esm-ts',
    entry: 'dist/app.js',
    flag: '--import',
    packages: 'all',
    exercise: ({ port }) => get(`http://127.0.0.1:${port}/work`, { 'x-tenant-id': 'acme' }),
    expect(spans) {
      const found = serverAndChild(spans, 'GET /work', 'work.do');
      if (found === undefined) return undefined;
      const [server, work] = found;
      assert.equal(work.parentSpanId, server.spanId);
      assert.equal(work.attributes['app.step'], 'answer');
      assert.equal(work.attributes['tenant.id'], 'acme');
      return true;
    },
  },
  {
    name: 'cjs',
    entry: 'app.js',
    flag: '-r',
    packages: 'sightline',
    exercise: ({ port }) => get(`http://127.0.0.1:${port}/`, { baggage: 'tenant.id=acme' }),
    expect(spans) {
      const found = serverAndChild(spans, 'GET', 'work.do');
      if (found === undefined) return undefined;
      const [server, work] = found;
      assert.equal(work.parentSpanId, server.spanId);
      assert.equal(server.attributes['tenant.id'], 'acme');
      assert.equal(work.attributes['tenant.id'], 'acme');
      return true;
    },
  },
  {
    name: 'express4',
    entry: 'dist/app.js',
    flag: '-r',
    packages: 'sightline',
    async exercise({ port, fastifyPort }) {
      await get(`http://127.0.0.1:${port}/orders/7`, { 'x-tenant-id': 'acme' });
      await get(`http://127.0.0.1:${fastifyPort}/items/3`, { 'x-tenant-id': 'globex' });
    },
    expect(spans) {
      const order = serverAndChild(spans, 'GET /orders/:id', 'get');
      const item = serverAndChild(spans, 'GET /items/:id', 'items.load');
      if (order === undefined || item === undefined) return undefined;
      const [orderServer, redisGet] = order;
      assert.equal(redisGet.kind, 'client');
      assert.equal(redisGet.scope, '@opentelemetry/instrumentation-ioredis');
      assert.equal(redisGet.attributes['tenant.id'], 'acme');
      assert.equal(orderServer.attributes['http.route'], '/orders/:id');
      assert.ok(
        spans.some((span) => span.scope === '@opentelemetry/instrumentation-express' && span.traceId === orderServer.traceId),
        'Express 4 is instrumented',
      );
      const [itemServer, itemLoad] = item;
      assert.equal(itemLoad.parentSpanId, itemServer.spanId);
      assert.equal(itemLoad.attributes['tenant.id'], 'globex');
      return true;
    },
  },
  {
    name: 'express5',
    entry: 'app.js',
    flag: '--import',
    packages: 'sightline',
    exercise: ({ port }) => get(`http://127.0.0.1:${port}/orders/7`, { 'x-tenant-id': 'acme' }),
    expect(spans) {
      const found = serverAndChild(spans, 'GET /orders/:id', 'orders.load');
      if (found === undefined) return undefined;
      const [server, load] = found;
      assert.equal(server.attributes['http.route'], '/orders/:id');
      assert.equal(load.attributes['tenant.id'], 'acme');
      assert.ok(
        spans.some((span) => span.scope === '@opentelemetry/instrumentation-express' && span.traceId === server.traceId),
        'Express 5 is instrumented',
      );
      return true;
    },
  },
];

let work: string;
let tarballs: string[];

/** Copies the app to `work`, installs it with the tarballs, builds it when it is TypeScript. */
async function installApp(app: AppCase): Promise<void> {
  const dir = join(work, app.name);
  await cp(join(FIXTURES, app.name), dir, { recursive: true });
  const packages = app.packages === 'all' ? tarballs : tarballs.slice(0, 1);
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...packages], { cwd: dir });
  if (await exists(join(dir, 'tsconfig.json'))) await run(process.execPath, [TSC, '-p', dir]);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

before(
  async () => {
    work = await mkdtemp(join(tmpdir(), 'sightline-published-'));
    tarballs = await packPackages(join(work, 'tarballs'));
    await Promise.all(APPS.map(installApp));
  },
  { timeout: INSTALL_MILLIS },
);
after(() => rm(work, { recursive: true, force: true }));

void describe('the published packages', () => {
  void it('ship README.md, LICENSE and types, and no src/ or source condition', async () => {
    const installed = join(work, 'esm-ts', 'node_modules');
    for (const name of ['sightline', 'sightline-nats', 'sightline-cli']) {
      const dir = join(installed, name);
      assert.ok(await exists(join(dir, 'README.md')), `${name} has a README.md`);
      assert.match(await readFile(join(dir, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
      assert.equal(await exists(join(dir, 'src')), false, `${name} ships no src/`);
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
      for (const [subpath, conditions] of Object.entries(manifest.exports)) {
        if (typeof conditions === 'string') continue;
        assert.ok(!Object.hasOwn(conditions as object, 'source'), `${name} ${subpath} has no source condition`);
        const types = (conditions as { types?: string }).types;
        if (types !== undefined) assert.ok(await exists(join(dir, types)), `${name} ${subpath}: ${types} exists`);
      }
    }
    assert.equal(tarballs.length, PUBLISHED_PACKAGES.length);
  });

  for (const [nodeName, node] of NODES) {
    void it(`the sightline command runs on ${nodeName}`, async () => {
      const { stdout } = await run(node, [join(work, 'esm-ts', 'node_modules', '.bin', 'sightline'), '--version']);
      assert.match(stdout, /0\.1\.0/);
    });

    for (const app of APPS) {
      void it(`${app.name} on ${nodeName} with ${app.flag} sightline/register exports its spans`, async () => {
        await using receiver = await startHttpReceiver();
        const serviceName = `${app.name}-${nodeName.replace(' ', '')}`;
        await using running = spawnApp(app.name, node, [app.flag, 'sightline/register', app.entry], {
          cwd: join(work, app.name),
          env: {
            OTEL_SERVICE_NAME: serviceName,
            OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint,
            OTEL_BSP_SCHEDULE_DELAY: '50',
            REDIS_KEY_PREFIX: `sightline-published-test:${randomUUID()}:`,
          },
        });
        const ports = await running.nextMessage<Ports>(60_000);
        await app.exercise(ports);
        await waitFor(`the spans of ${app.name}`, () => app.expect(receiver.spans()), 30_000);
        assert.ok(receiver.spans().every((span) => span.resource['service.name'] === serviceName));
        assert.equal(running.stderr(), '', 'nothing on stderr');
        if ('natsTransport' in ports) assert.equal(ports['natsTransport'], 'function', 'sightline-nats loads');
      });
    }
  }
});
