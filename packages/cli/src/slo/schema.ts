import { REQUEST_DURATION_BUCKETS } from 'sightline/metrics';
import { z } from 'zod';
import { durationSeconds, isDuration } from './duration.ts';

/**
 * The SLO file: per service, an availability objective (share of requests
 * answered without a 5xx) and a latency objective (share of requests
 * faster than a threshold), each over a compliance window.
 */

const PROMETHEUS_LABEL_VALUE = /^[a-zA-Z0-9_.:-]+$/;

const duration = z
  .string()
  .refine(isDuration, { error: 'must be a Prometheus duration such as 500ms, 30s, 5m, 1h or 30d' });

const target = z
  .number({ error: 'must be a number: the percentage of good requests, e.g. 99.9' })
  .gt(0, { error: 'must be above 0 (a percentage)' })
  .lt(100, { error: 'must be below 100 (a percentage; 100 leaves no error budget)' });

const availability = z.strictObject({
  target,
  window: duration.default('30d'),
});

const latency = z.strictObject({
  target,
  threshold: duration.refine((text) => REQUEST_DURATION_BUCKETS.includes(durationSeconds(text)), {
    error: `must be a bucket boundary of http_server_request_duration_seconds so the SLI is exact: one of ${REQUEST_DURATION_BUCKETS.map((s) => `${s * 1000}ms`).join(', ')}`,
  }),
  window: duration.default('30d'),
});

const service = z.strictObject({
  name: z.string().regex(PROMETHEUS_LABEL_VALUE, { error: 'must be letters, digits, _ . : or -' }),
  job: z.string().regex(PROMETHEUS_LABEL_VALUE, { error: 'must be letters, digits, _ . : or -' }).optional(),
  objectives: z
    .strictObject({ availability: availability.optional(), latency: latency.optional() })
    .refine((o) => o.availability !== undefined || o.latency !== undefined, {
      error: 'must declare availability, latency or both',
    }),
});

/** The schema of an SLO file. */
export const sloFileSchema = z.strictObject({
  services: z
    .array(service)
    .min(1, { error: 'must list at least one service' })
    .refine((list) => new Set(list.map((s) => s.name)).size === list.length, { error: 'service names must be unique' }),
});

/** A validated SLO file. */
export type SloFile = z.infer<typeof sloFileSchema>;
/** One service of an SLO file. */
export type ServiceObjectives = SloFile['services'][number];
