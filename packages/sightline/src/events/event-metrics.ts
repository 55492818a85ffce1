/**
 * The bus's instruments, taken from the metrics catalogue. One small object
 * per bus, so the dispatcher and publisher record through named methods.
 */
import { catalogue } from '../metrics/catalogue.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';

/** The outcome label of `messaging_client_consumed_messages_total`. */
export type ConsumeOutcome = 'success' | 'retry' | 'dead_letter';

/** Labels shared by one subscription's observations. */
export interface ConsumerLabels {
  readonly system: string;
  readonly type: string;
  readonly group: string;
}

/** Records publish and consume observations for one bus. */
export interface EventMetrics {
  sent(system: string, type: string, tenantId: string | undefined, errorType: string): void;
  rejected(type: string, reason: string): void;
  consumed(labels: ConsumerLabels, outcome: ConsumeOutcome, tenantId: string | undefined, errorType: string): void;
  processed(labels: ConsumerLabels, seconds: number, errorType: string): void;
  lag(labels: ConsumerLabels, seconds: number): void;
  /** Reports `read()` as the backlog gauge on each scrape; returns the function that stops it. */
  trackBacklog(labels: ConsumerLabels, read: () => Promise<number>): () => void;
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

  return {
    sent: (system, type, tenantId, errorType) =>
      sent.inc({
        messaging_system: system,
        messaging_destination_name: type,
        error_type: errorType,
        tenant_id: tenantLabel(tenantId),
      }),
    rejected: (type, reason) => rejected.inc({ messaging_destination_name: type, reason }),
    consumed: (labels, outcome, tenantId, errorType) =>
      consumed.inc({
        messaging_system: labels.system,
        messaging_destination_name: labels.type,
        messaging_consumer_group_name: labels.group,
        error_type: errorType,
        outcome,
        tenant_id: tenantLabel(tenantId),
      }),
    processed: (labels, seconds, errorType) =>
      duration.observe(
        { messaging_destination_name: labels.type, messaging_consumer_group_name: labels.group, error_type: errorType },
        seconds,
      ),
    lag: (labels, seconds) =>
      lag.observe({ messaging_destination_name: labels.type, messaging_consumer_group_name: labels.group }, seconds),
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
