/**
 * Every error Sightline throws is a {@link SightlineError} with a stable
 * `code`, a `name` of its own and a message that says what to do. Errors are
 * thrown at start-up (bad configuration) or returned to the caller of an API
 * that can fail (a full queue); telemetry never throws into application code
 * from the background.
 *
 * The classes live in this one module so the codes stay unique and each is
 * documented in the guides.
 */

/** Base class of every error Sightline throws. */
export class SightlineError extends Error {
  /** A stable identifier such as `SIGHTLINE_INVALID_CONFIG`, safe to match on. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

// Metrics

/** Two different declarations were registered under one metric name. */
export class MetricDefinitionConflictError extends SightlineError {
  constructor(name: string) {
    super(
      'SIGHTLINE_METRIC_CONFLICT',
      `Metric ${name} is already registered with a different declaration; declare each metric once in the catalogue and reuse that declaration.`,
    );
  }
}

// Operations assets: SLO files, alert rules and dashboards (sightline-cli)

/** An SLO file could not be read, parsed or validated. */
export class SloFileError extends SightlineError {
  /** The file the problem is in. */
  readonly file: string;

  constructor(file: string, problems: readonly string[], options?: ErrorOptions) {
    super(
      'SIGHTLINE_INVALID_SLO_FILE',
      `SLO file ${file} is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n` +
        'Fix the fields named above; docs/alerting.md describes the format.',
      options,
    );
    this.file = file;
  }
}

/** The `sightline` command was called with arguments it does not accept. */
export class CliUsageError extends SightlineError {
  constructor(message: string) {
    super('SIGHTLINE_CLI_USAGE', message);
  }
}
