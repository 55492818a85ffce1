/**
 * What Sightline's instruments cost over the Prometheus client they wrap:
 * a histogram observation through the registry (label validation, the
 * series cap, exemplar lookup) against the same observation made directly
 * on a `@prometheus-io/client` Histogram, with and without a sampled span
 * in context (the exemplar case).
 *
 * Run: bash scripts/bench.sh
 */
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { Histogram, Registry } from '@prometheus-io/client';
import { catalogue } from 'sightline';
import { createMetricsRegistry } from 'sightline/metrics';
import { compare } from './measure.ts';

const definition = catalogue.httpServerRequestDuration;
const labels = { http_request_method: 'GET', http_route: '/orders/:id', http_response_status_code: 200, tenant_id: '' };

const direct = new Histogram<string>({
  name: definition.name,
  help: definition.help,
  labelNames: definition.labelNames,
  buckets: [...definition.buckets],
  registers: [new Registry(Registry.OPENMETRICS_CONTENT_TYPE)],
  enableExemplars: true,
});
const instrument = createMetricsRegistry({ defaultMetrics: false }).histogram(definition);
const sampled = trace.setSpanContext(context.active(), {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
});
const exemplarLabels: Record<string, string> = { trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331' };

await compare('histogram observation, no span in context', { name: 'prometheus client observe', run: () => direct.observe({ value: 0.12, labels }) }, [
  { name: 'sightline instrument observe', run: () => instrument.observe(labels, 0.12) },
], 200_000);

await compare('histogram observation with a sampled span (exemplar)', {
  name: 'prometheus client observe + exemplar',
  run: () => direct.observe({ value: 0.12, labels, exemplarLabels }),
}, [{ name: 'sightline instrument observe (exemplar from context)', run: () => instrument.observe(labels, 0.12, sampled) }], 200_000);
