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

const ratio = (example: string) =>
  z
    .number({ error: `must be a number: a ratio above 0 and below 1, e.g. ${example}` })
    .gt(0, { error: `must be a ratio above 0 and below 1, e.g. ${example}` })
    .lt(1, { error: `must be a ratio above 0 and below 1, e.g. ${example}` });

const positiveDuration = duration.refine((text) => durationSeconds(text) > 0, { error: 'must be a duration above 0, e.g. 500ms or 30s' });

const perSecond = (example: string) =>
  z
    .number({ error: `must be a number of events per second, 0 or more, e.g. ${example}` })
    .min(0, { error: `must be a number of events per second, 0 or more, e.g. ${example}` });

/**
 * The values the threshold alerts compare against; each one left out keeps
 * its default (see `DEFAULT_THRESHOLDS`).
 */
const thresholds = z.strictObject({
  serverErrorRatio: ratio('0.05 for 5%').optional(),
  latencyP95: positiveDuration.optional(),
  minRequestRate: perSecond('1').optional(),
  eventBacklog: z
    .number({ error: 'must be a whole number of events above 0, e.g. 1000' })
    .int({ error: 'must be a whole number of events above 0, e.g. 1000' })
    .gt(0, { error: 'must be a whole number of events above 0, e.g. 1000' })
    .optional(),
  eventLagP95: positiveDuration.optional(),
  cacheHitRatio: ratio('0.5 for 50%').optional(),
  minCacheRequestRate: perSecond('1').optional(),
  queryP95: positiveDuration.optional(),
  minQueryRate: perSecond('0.1').optional(),
});

const service = z.strictObject({
  name: z.string().regex(PROMETHEUS_LABEL_VALUE, { error: 'must be letters, digits, _ . : or -' }),
  job: z.string().regex(PROMETHEUS_LABEL_VALUE, { error: 'must be letters, digits, _ . : or -' }).optional(),
  thresholds: thresholds.optional(),
  objectives: z
    .strictObject({ availability: availability.optional(), latency: latency.optional() })
    .refine((o) => o.availability !== undefined || o.latency !== undefined, {
      error: 'must declare availability, latency or both',
    }),
});

/** The schema of an SLO file. */
export const sloFileSchema = z.strictObject({
  runbookBase: z
    .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL where docs/alerts.md is published, e.g. https://github.com/acme/shop/blob/main/docs/alerts.md' })
    .optional(),
  services: z
    .array(service)
    .min(1, { error: 'must list at least one service' })
    .refine((list) => new Set(list.map((s) => s.name)).size === list.length, { error: 'service names must be unique' }),
});

/** A validated SLO file. */
export type SloFile = z.infer<typeof sloFileSchema>;
/** One service of an SLO file. */
export type ServiceObjectives = SloFile['services'][number];
/** The thresholds a service overrides, as written in the SLO file. */
export type ThresholdOverrides = NonNullable<ServiceObjectives['thresholds']>;
