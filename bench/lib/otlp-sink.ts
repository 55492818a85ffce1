/**
 * The live OTLP sink of the benchmark, run as its own process: answers 200
 * (an empty export response) to every OTLP/HTTP export, as a Collector
 * would, and counts what it received. `GET /stats` returns the counts.
 *
 * Prints `{"port": N}` once it listens; stops on SIGTERM.
 */
import { createServer } from 'node:http';

let requests = 0;
let bytes = 0;

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/stats') {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ requests, bytes }));
    return;
  }
  request.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  request.on('end', () => {
    requests++;
    const json = (request.headers['content-type'] ?? '').includes('json');
    response.setHeader('content-type', json ? 'application/json' : 'application/x-protobuf');
    response.end(json ? '{}' : '');
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
// A closed stdin means the orchestrator is gone: do not outlive it.
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
