/** The scenarios of `npm run bench`, in the order they run. */
import type { RunSettings, ScenarioReport } from '../lib/report-types.ts';
import { runMemoryBusScenario, runNatsScenario } from './bus.ts';
import { runExportScenario } from './export.ts';
import { runHttpScenario } from './http.ts';
import { runScrapeScenario } from './scrape.ts';
import { runStartupScenario } from './startup.ts';

/** A scenario: its flag name and how to run it. */
export interface Scenario {
  readonly id: string;
  readonly run: (settings: RunSettings) => Promise<ScenarioReport>;
}

export const SCENARIOS: readonly Scenario[] = [
  { id: 'http', run: runHttpScenario },
  { id: 'bus', run: runMemoryBusScenario },
  { id: 'nats', run: runNatsScenario },
  { id: 'export', run: runExportScenario },
  { id: 'scrape', run: runScrapeScenario },
  { id: 'startup', run: runStartupScenario },
];
