import { CliUsageError } from 'sightline/errors';
import { durationSeconds, isDuration } from '../slo/duration.ts';

/** How rules are generated. */
export interface RuleOptions {
  /** Evaluation interval of every rule group. Default `30s`. */
  readonly interval?: string;
  /**
   * Caps every alert's `for` at this duration (`0s` fires on the first
   * evaluation). For tests and demos that cannot wait minutes; leave unset
   * in production.
   */
  readonly maxFor?: string;
  /**
   * The absolute http(s) URL where `docs/alerts.md` is published; each alert
   * links to `<runbookBase>#<alert name in lower case>`. Overrides the SLO
   * file's `runbookBase`. Without either, links are relative
   * ({@link RELATIVE_RUNBOOKS}), which Alertmanager and Grafana do not show
   * as links.
   */
  readonly runbookBase?: string;
}

/** The runbook base when none is given: relative to the repository. */
export const RELATIVE_RUNBOOKS = 'docs/alerts.md';

/** {@link RuleOptions} with the defaults filled in. */
export interface ResolvedRuleOptions {
  readonly interval: string;
  readonly maxFor: string | undefined;
  readonly runbookBase: string;
  /** True when no base URL was given and the links are {@link RELATIVE_RUNBOOKS}. */
  readonly relativeRunbooks: boolean;
}

/** Validates and fills in rule options; the result is frozen. */
export function resolveRuleOptions(options: RuleOptions = {}): ResolvedRuleOptions {
  const interval = options.interval ?? '30s';
  if (!isDuration(interval) || durationSeconds(interval) === 0) {
    throw new CliUsageError(`Expected interval to be a non-zero Prometheus duration such as 30s or 1m, got ${JSON.stringify(interval)}.`);
  }
  if (options.maxFor !== undefined && !isDuration(options.maxFor)) {
    throw new CliUsageError(`Expected maxFor to be a Prometheus duration such as 0s or 10s, got ${JSON.stringify(options.maxFor)}.`);
  }
  if (options.runbookBase !== undefined && !isHttpUrl(options.runbookBase)) {
    throw new CliUsageError(
      `Expected runbookBase to be an absolute http(s) URL where docs/alerts.md is published, such as https://github.com/acme/shop/blob/main/docs/alerts.md, got ${JSON.stringify(options.runbookBase)}.`,
    );
  }
  return Object.freeze({
    interval,
    maxFor: options.maxFor,
    runbookBase: options.runbookBase ?? RELATIVE_RUNBOOKS,
    relativeRunbooks: options.runbookBase === undefined,
  });
}

function isHttpUrl(text: string): boolean {
  return URL.canParse(text) && ['http:', 'https:'].includes(new URL(text).protocol);
}

/** `wanted`, shortened to `options.maxFor` when that is shorter. */
export function capFor(wanted: string, options: ResolvedRuleOptions): string {
  return options.maxFor !== undefined && durationSeconds(options.maxFor) < durationSeconds(wanted) ? options.maxFor : wanted;
}

/** The runbook link of an alert. */
export function runbookUrl(alert: string, options: ResolvedRuleOptions): string {
  return `${options.runbookBase}#${alert.toLowerCase()}`;
}
