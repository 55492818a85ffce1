/**
 * The one channel start-up problems use when they must be seen whatever
 * `OTEL_LOG_LEVEL` says (an ignored variable, a busy metrics port,
 * telemetry that could not start): one line on stderr, no stack.
 */
export function writeStderrLine(line: string): void {
  process.stderr.write(`${line}\n`);
}
