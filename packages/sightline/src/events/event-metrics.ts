/**
 * The bus's instruments, taken from the metrics catalogue. One small object
 * per bus, so the dispatcher and publisher record through named methods.
 * The series of the common outcomes (sent without error, processed with
 * success, lag) are bound once per destination, consumer group and tenant
 * label instead of having their labels checked on every event; other
 * outcomes, and label sets beyond a small bound, record unbound.
 */
import { catalogue } from '../metrics/catalogue.ts';
import type { BoundCounter, BoundHistogram } from '../metrics/instruments.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';

/** The outcome label of `messaging_client_consumed_messages_total`. */
export type ConsumeOutcome = 'success' | 'retry' | 'dead_letter';

/** Labels shared by one subscription's observations. */
export interface ConsumerLabels {
  readonly system: string;
  readonly type: string;
  readonly group: string;
}

/** Records one subscription's observations. */
export interface ConsumerMetrics {
  consumed(outcome: ConsumeOutcome, tenantId: string | undefined, errorType: string): void;
  processed(seconds: number, errorType: string): void;
  lag(seconds: number): void;
}

/** Records publish and consume observations for one bus. */
export interface EventMetrics {
  sent(system: string, type: string, tenantId: string | undefined, errorType: string): void;
  rejected(type: string, reason: string): void;
  /** The recorder of one subscription. */
  consumer(labels: ConsumerLabels): ConsumerMetrics;
  /** Reports `read()` as the backlog gauge on each scrape; returns the function that stops it. */
  trackBacklog(labels: ConsumerLabels, read: () => Promise<number>): () => void;
}

/** Bound series kept per map (event types, tenant label values); past it, observations record unbound. */
const MAX_BOUND = 64;

/** `map`'s value for `key`, made by `bind` while the map holds fewer than {@link MAX_BOUND}. */
function boundFor<B>(map: Map<string, B>, key: string, bind: () => B): B | undefined {
  let bound = map.get(key);
  if (bound === undefined && map.size < MAX_BOUND) {
    bound = bind();
    map.set(key, bound);
  }
  return bound;
}

/** Creates the bus instruments in `registry`; its tenant-label policy decides `tenant_id`. */
export function createEventMetrics(registry: MetricsRegistry): EventMetrics {
  const sent = registry.counter(catalogue.messagingSentMessages);
  const consumed = registry.counter(catalogue.messagingConsumedMessages);
  const duration = registry.histogram(catalogue.messagingProcessDuration);
  const lag = registry.histogram(catalogue.eventLag);
  const backlog = registry.gauge(catalogue.eventBacklog);
  const rejected = registry.counter(catalogue.eventsRejected);
  const tenantLabel = (tenantId: string | undefined): string => registry.tenantLabels.labelFor(tenantId);
  /** Sent without error, by system and type, then by tenant label. */
  const sentOk = new Map<string, Map<string, BoundCounter>>();

  const sentLabels = (system: string, type: string, tenant: string, errorType: string) => ({
    messaging_system: system,
    messaging_destination_name: type,
    error_type: errorType,
    tenant_id: tenant,
  });

  return {
    sent: (system, type, tenantId, errorType) => {
      const tenant = tenantLabel(tenantId);
      const byTenant = errorType === '' ? boundFor(sentOk, `${system}\u0000${type}`, () => new Map<string, BoundCounter>()) : undefined;
      const bound = byTenant && boundFor(byTenant, tenant, () => sent.bind(sentLabels(system, type, tenant, '')));
      if (bound !== undefined) bound.inc();
      else sent.inc(sentLabels(system, type, tenant, errorType));
    },
    rejected: (type, reason) => rejected.inc({ messaging_destination_name: type, reason }),
    consumer: (labels) => {
      const consumedLabels = (outcome: ConsumeOutcome, tenant: string, errorType: string) => ({
        messaging_system: labels.system,
        messaging_destination_name: labels.type,
        messaging_consumer_group_name: labels.group,
        error_type: errorType,
        outcome,
        tenant_id: tenant,
      });
      const series = { messaging_destination_name: labels.type, messaging_consumer_group_name: labels.group };
      const successByTenant = new Map<string, BoundCounter>();
      const processedOk: BoundHistogram = duration.bind({ ...series, error_type: '' });
      const lagged: BoundHistogram = lag.bind(series);
      return {
        consumed: (outcome, tenantId, errorType) => {
          const tenant = tenantLabel(tenantId);
          const bound =
            outcome === 'success' && errorType === ''
              ? boundFor(successByTenant, tenant, () => consumed.bind(consumedLabels('success', tenant, '')))
              : undefined;
          if (bound !== undefined) bound.inc();
          else consumed.inc(consumedLabels(outcome, tenant, errorType));
        },
        processed: (seconds, errorType) => {
          if (errorType === '') processedOk.observe(seconds);
          else duration.observe({ ...series, error_type: errorType }, seconds);
        },
        lag: (seconds) => lagged.observe(seconds),
      };
    },
    trackBacklog: (labels, read) => {
      const series = { messaging_destination_name: labels.type, messaging_consumer_group_name: labels.group };
      const stop = backlog.addCollector(async (gauge) => gauge.set(series, await read()));
      return () => {
        stop();
        backlog.remove(series);
      };
    },
  };
}
