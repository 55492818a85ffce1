/** What a scenario hands to the report: tables for the page and named figures for the targets and the chart. */

/** One Markdown table. */
export interface ReportTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** A scenario's results. */
export interface ScenarioReport {
  readonly id: string;
  readonly title: string;
  /** What was measured and how, in a few sentences of Markdown. */
  readonly method: string;
  readonly tables: readonly ReportTable[];
  /** Named figures (e.g. `http.node.bare.cpu`) the targets and the chart read. */
  readonly figures: Readonly<Record<string, number>>;
}

/** How long and how often a scenario measures; the smoke mode shrinks every figure. */
export interface RunSettings {
  readonly smoke: boolean;
  readonly rounds: number;
  /** HTTP variants to run (all when undefined). */
  readonly variants?: readonly string[] | undefined;
  /** HTTP frameworks to run (all when undefined). */
  readonly frameworks?: readonly string[] | undefined;
  /** HTTP: the fixed request rate (default 2000/s). */
  readonly rate?: number | undefined;
  /** When set, HTTP servers write CPU profiles (`--cpu-prof`) into this directory. */
  readonly profileDir?: string | undefined;
}

/** Formats a number for a table: `digits` decimals, `–` when not finite. */
export function fmt(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}
