/**
 * The process-wide record of running telemetry, and `currentTelemetry()`,
 * which hands its handle to code that did not start it: an app started with
 * `--import sightline/register` has no `startTelemetry()` result of its own
 * and reaches the metrics registry (and `shutdown()`) through this.
 *
 * The record lives on `globalThis` under a registered symbol, so two copies
 * of Sightline loaded in one process (a bundled and an installed one) still
 * agree that telemetry runs once.
 */
import type { Telemetry } from './telemetry.ts';

/** How the running telemetry was started; named in `TelemetryAlreadyStartedError`. */
export type TelemetryOrigin = 'startTelemetry()' | '`--import sightline/register`';

/** What is recorded while telemetry starts and runs. */
export interface RunningTelemetryRecord {
  readonly origin: TelemetryOrigin;
  /** The handle, once the pipeline is up; undefined while it is starting. */
  readonly telemetry: Telemetry | undefined;
}

const runningKey = Symbol.for('sightline.telemetry.running');

type GlobalSlot = { [runningKey]?: RunningTelemetryRecord | undefined };

/** The record of the running (or starting) telemetry, if any. */
export function runningTelemetryRecord(): RunningTelemetryRecord | undefined {
  return (globalThis as GlobalSlot)[runningKey];
}

/** Replaces the record; `undefined` clears it (telemetry stopped, or failed to start). */
export function setRunningTelemetryRecord(record: RunningTelemetryRecord | undefined): void {
  (globalThis as GlobalSlot)[runningKey] = record;
}

/**
 * The handle of the telemetry running in this process, however it was
 * started (`startTelemetry()` or `--import sightline/register`), or
 * `undefined` when none runs: not started, disabled (`OTEL_SDK_DISABLED=true`),
 * still starting, or shut down.
 *
 * ```ts
 * // node --import sightline/register app.js
 * const registry = currentTelemetry()?.metrics ?? createMetricsRegistry();
 * app.use(sightlineExpress({ registry }));
 * ```
 */
export function currentTelemetry(): Telemetry | undefined {
  return runningTelemetryRecord()?.telemetry;
}
