/** The Prometheus rule file model the generator writes (the fields Prometheus reads). */

/** A recording rule: `record` is the new series name. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** How urgently an alert needs a human: `page` now, `ticket` in working hours. */
export type Severity = 'page' | 'ticket';

/** An alerting rule. */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<{ severity: Severity } & Record<string, string>>;
  readonly annotations: Readonly<{ summary: string; description: string; runbook_url: string }>;
}

/** A rule group, evaluated every `interval`. */
export interface RuleGroup {
  readonly name: string;
  readonly interval: string;
  readonly rules: readonly (RecordingRule | AlertingRule)[];
}

/** A Prometheus rule file. */
export interface RuleFile {
  readonly groups: readonly RuleGroup[];
}

/**
 * For one alert: the expressions whose values it compares against its
 * thresholds. Each returns data whenever the service has the traffic the
 * alert is about, firing or not, so a test can prove the alert can see its
 * inputs (the full `expr` returns nothing while all is well).
 */
export interface AlertSignals {
  readonly alert: string;
  readonly group: string;
  readonly signals: readonly string[];
}
