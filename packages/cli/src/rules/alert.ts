import type { AlertingRule, Severity } from './model.ts';
import { capFor, runbookUrl } from './options.ts';
import type { ResolvedRuleOptions } from './options.ts';

/** An alert before the options (runbook base, `for` cap) are applied. */
export interface AlertSpec {
  readonly alert: string;
  readonly severity: Severity;
  readonly for: string;
  /** The full expression; it returns series only while the alert condition holds. */
  readonly expr: string;
  /** The expressions compared in `expr` (see {@link AlertSignals}). */
  readonly signals: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly summary: string;
  /** Should quote the value: `{{ $value | humanizePercentage }}` and the like. */
  readonly description: string;
}

/** The rule Prometheus reads for `spec`. */
export function alertingRule(spec: AlertSpec, options: ResolvedRuleOptions): AlertingRule {
  return {
    alert: spec.alert,
    expr: spec.expr,
    for: capFor(spec.for, options),
    labels: { severity: spec.severity, ...spec.labels },
    annotations: { summary: spec.summary, description: spec.description, runbook_url: runbookUrl(spec.alert, options) },
  };
}

/** `signal comparison`, and the traffic floor when there is one: `and on (labels) floor`. */
export function thresholdExpr(
  signal: string,
  comparison: string,
  floor?: { readonly on: readonly string[]; readonly signal: string; readonly comparison: string },
): string {
  const main = `${signal} ${comparison}`;
  return floor === undefined ? main : `(${main})\nand on (${floor.on.join(', ')})\n(${floor.signal} ${floor.comparison})`;
}

/** A ratio as a percentage for people: 0.001 → `0.1%`. */
export function percent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(6))}%`;
}

/** Seconds as milliseconds for people: 0.5 → `500ms`. */
export function milliseconds(seconds: number): string {
  return `${Number((seconds * 1000).toPrecision(6))}ms`;
}
