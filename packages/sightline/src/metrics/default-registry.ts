/**
 * The process's default metrics registry: what every instrumentation
 * (HTTP middleware, breakers, caches, pg pools, the event bus) records into
 * when it is given no `registry`. Telemetry serves and pushes this same
 * registry (configured with its metrics options when it starts), so
 * instruments created before `startTelemetry` or `--import sightline/register`
 * and those created after all land in what is served.
 *
 * The registry lives on `globalThis` under a registered symbol, so two
 * copies of Sightline loaded in one process share it. Nothing here imports
 * the SDK: the registry is created on first use.
 */
import { createMetricsRegistry, reconfigureMetricsRegistry } from './registry.ts';
import type { MetricsRegistry } from './registry.ts';
import type { MetricsRegistryOptions } from './registry-options.ts';

const slotKey = Symbol.for('sightline.metrics.defaultRegistry');
type GlobalSlot = { [slotKey]?: MetricsRegistry };

/**
 * The process's default registry, created (with the runtime metrics and the
 * default options) on first use. Telemetry applies its `metrics.*` options
 * (tenant-label policy, series cap) to it when it starts.
 */
export function defaultMetricsRegistry(): MetricsRegistry {
  const slot = globalThis as GlobalSlot;
  slot[slotKey] ??= createMetricsRegistry();
  return slot[slotKey];
}

/**
 * The default registry, configured with `options`: created with them when
 * nothing has used it yet, reconfigured otherwise (see
 * `reconfigureMetricsRegistry`). Telemetry calls this when it starts.
 *
 * @throws {InvalidConfigError} when an option is invalid.
 */
export function configureDefaultMetricsRegistry(options: MetricsRegistryOptions): MetricsRegistry {
  const slot = globalThis as GlobalSlot;
  if (slot[slotKey] === undefined) slot[slotKey] = createMetricsRegistry(options);
  else reconfigureMetricsRegistry(slot[slotKey], options);
  return slot[slotKey];
}
