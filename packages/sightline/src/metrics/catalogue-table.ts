/**
 * The catalogue as a Markdown table, for docs/metrics.md. The guide embeds
 * the output between two markers and a test fails when they differ, so the
 * documented metrics cannot drift from the declared ones.
 */
import { catalogue } from './catalogue.ts';
import type { MetricDefinition } from './definition.ts';

/** The Markdown table of every catalogue metric: name, type, unit, labels, buckets and help. */
export function catalogueTable(): string {
  const rows = Object.values(catalogue).map((definition: MetricDefinition) => {
    const labels = definition.labelNames.map((label) => `\`${label}\``).join(', ') || '–';
    const type = definition.type === 'gauge' && definition.states !== undefined ? 'gauge (state set)' : definition.type;
    const extra =
      definition.type === 'histogram'
        ? definition.buckets.join(', ')
        : definition.type === 'gauge' && definition.states !== undefined
          ? `states: ${definition.states.join(', ')}`
          : '';
    const origin = definition.semanticConvention === undefined ? '' : ` (semconv \`${definition.semanticConvention}\`)`;
    return `| \`${definition.name}\` | ${type} | ${definition.unit || '–'} | ${labels} | ${extra || '–'} | ${definition.help}${origin} |`;
  });
  return [
    '| metric | type | unit | labels | buckets / states | description |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
