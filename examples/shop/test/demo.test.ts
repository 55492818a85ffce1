/**
 * The demo as a user runs it: the orchestrator in a child process for a few
 * seconds, then what it printed. It must exit 0 and show a successful order
 * whose trace runs from `POST /orders` through `orders.place` and
 * `publish order.created` into `process order.created`, with tenant.id on
 * each, and a metrics excerpt with request counts; here over the local NATS
 * JetStream (two processes, a unique stream that is gone afterwards) and the
 * local PostgreSQL through DATABASE_URL. The default run (memory transport,
 * embedded PostgreSQL) is the one viewer-browser.test.ts drives.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

const DEMO = fileURLToPath(new URL('../src/demo.ts', import.meta.url));
const NATS_URL = 'nats://127.0.0.1:4222';

interface DemoRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runDemo(env: Record<string, string>): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', DEMO], {
      env: { ...process.env, DEMO_SECONDS: '4', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 280_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The lines of the printed section whose heading starts with `title`. */
function section(stdout: string, title: string): string[] {
  const [, rest = ''] = stdout.split(`== ${title}`);
  return rest.split('\n== ')[0]?.split('\n') ?? [];
}

/** The span lines of the successful-order trace, by span name. */
function successfulOrderSpans(stdout: string): Map<string, string[]> {
  const spans = new Map<string, string[]>();
  for (const line of section(stdout, 'Trace: a successful order')) {
    const match = /^\s+(\S.*?) \[(\w+), ([\w-]+)\]/.exec(line);
    if (match?.[1] !== undefined) spans.set(match[1], [...(spans.get(match[1]) ?? []), line]);
  }
  return spans;
}

function assertSuccessfulOrder(stdout: string, consumerService: string): void {
  const spans = successfulOrderSpans(stdout);
  const expected: [string, string][] = [
    ['POST /orders', '[server, shop]'],
    ['orders.place', '[internal, shop]'],
    ['publish order.created', '[producer, shop]'],
    ['process order.created', `[consumer, ${consumerService}]`],
  ];
  for (const [name, kind] of expected) {
    const lines = spans.get(name) ?? [];
    assert.ok(lines.length > 0, `the trace has a ${name} span:\n${stdout}`);
    for (const line of lines) {
      assert.ok(line.includes(kind), `${name} is ${kind}: ${line}`);
      assert.match(line, /tenant\.id=(acme|globex|initech)\b/, `${name} carries the tenant: ${line}`);
    }
  }
  const tenants = new Set([...spans.values()].flat().flatMap((line) => /tenant\.id=(\w+)/.exec(line)?.[1] ?? []));
  assert.equal(tenants.size, 1, 'one tenant across the whole trace');
}

function assertMetricsExcerpt(stdout: string): void {
  const excerpt = section(stdout, 'Metrics excerpt').join('\n');
  for (const route of ['GET /products/:id', 'POST /orders', 'GET unmatched']) {
    const row = new RegExp(`^\\s+${route.replace(/[/.*]/g, '\\$&')}\\s+(\\d+)`, 'm').exec(excerpt);
    assert.ok(row?.[1] !== undefined && Number(row[1]) > 0, `a non-zero request count for ${route}:\n${excerpt}`);
  }
  assert.match(excerpt, /published order\.created: [1-9]\d*/);
  assert.match(excerpt, /billing: success [1-9]\d*/);
}

void describe('the demo', () => {
  void it('runs over NATS JetStream with the consumers in a second process, then deletes its stream', { timeout: 300_000 }, async () => {
    const stream = `SHOP_DEMO_TEST_${process.pid}_${Date.now().toString(36)}`;
    const run = await runDemo({ SHOP_NATS_URL: NATS_URL, SHOP_NATS_STREAM: stream, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' });
    assert.match(run.stdout, /Database: PostgreSQL from DATABASE_URL/);
    assert.equal(run.code, 0, `exit code 0\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, new RegExp(`stream ${stream}`));
    assertSuccessfulOrder(run.stdout, 'shop-worker');
    assertMetricsExcerpt(run.stdout);

    const nc = await connect({ servers: NATS_URL });
    try {
      const jsm = await jetstreamManager(nc);
      const names: string[] = [];
      for await (const name of jsm.streams.names()) names.push(name);
      assert.ok(!names.includes(stream) && !names.includes(`${stream}_DLQ`), 'the run deleted its streams');
    } finally {
      await nc.close();
    }
  });
});
