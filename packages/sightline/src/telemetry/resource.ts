/**
 * The OpenTelemetry resource every span is exported with: the SDK's own
 * `telemetry.sdk.*` attributes, host and process attributes from the
 * standard detectors, then the resolved `resourceAttributes` (which already
 * hold `OTEL_RESOURCE_ATTRIBUTES`, the options, `service.name`,
 * `service.version`, `deployment.environment.name` and `service.instance.id`).
 * Later sources win.
 */
import { defaultResource, detectResources, hostDetector, processDetector, resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import type { ResolvedTelemetryConfig } from './config/types.ts';

/** Builds the resource for `config`; the host id is detected asynchronously and awaited before the first export. */
export function buildResource(config: ResolvedTelemetryConfig): Resource {
  return defaultResource()
    .merge(detectResources({ detectors: [hostDetector, processDetector] }))
    .merge(resourceFromAttributes(config.resourceAttributes));
}
