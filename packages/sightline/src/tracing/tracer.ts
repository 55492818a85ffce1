/** The tracer Sightline's own spans come from. */
import { trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { VERSION } from '../version.ts';

/** Instrumentation scope name of spans created by Sightline helpers. */
export const TRACER_NAME = 'sightline';

/**
 * The `sightline` tracer of the global tracer provider. Looked up on each
 * call (the provider caches it), so a provider registered later is used.
 */
export function sightlineTracer(): Tracer {
  return trace.getTracer(TRACER_NAME, VERSION);
}
