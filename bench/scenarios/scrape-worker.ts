/**
 * One run of the scrape scenario, in its own process pinned to the server
 * core: fills a Sightline registry and a plain `@prometheus-io/client`
 * registry with the same histogram series, then renders each in turn
 * (interleaved) `scrapes` times, 20 ms apart, in the classic text format
 * and in OpenMetrics, recording the render time and the event-loop delay
 * the renders cause. Prints one JSON {@link ScrapeRunResult} line.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Histogram, Registry } from '@prometheus-io/client';
import { catalogue } from 'sightline';
import { createMetricsRegistry } from 'sightline/metrics';
import { median } from '../lib/stats.ts';

/** What to run. */
export interface ScrapeRunSpec {
  /** Time series to expose (bucket, sum and count lines of histogram label sets). */
  readonly series: number;
  readonly scrapes: number;
}

/** Per format and renderer: median render time and largest event-loop delay, in milliseconds. */
export interface ScrapeRunResult {
  readonly labelSets: number;
  readonly timings: Record<string, { readonly renderMs: number; readonly maxDelayMs: number; readonly bytes: number }>;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as ScrapeRunSpec;
const definition = catalogue.httpServerRequestDuration;
const labelSets = Math.max(1, Math.round(spec.series / (definition.buckets.length + 3)));
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];

const sightline = createMetricsRegistry({ defaultMetrics: false, maxSeriesPerMetric: labelSets + 10 });
const instrument = sightline.histogram(definition);
const plain = {
  prometheus: new Registry(Registry.PROMETHEUS_CONTENT_TYPE),
  openmetrics: new Registry(Registry.OPENMETRICS_CONTENT_TYPE),
};
const plainHistogram = (format: keyof typeof plain) =>
  new Histogram<string>({
    name: definition.name,
    help: definition.help,
    labelNames: definition.labelNames,
    buckets: [...definition.buckets],
    registers: [plain[format]],
    enableExemplars: format === 'openmetrics',
  });
const plainText = plainHistogram('prometheus');
const plainOpenMetrics = plainHistogram('openmetrics');
for (let i = 0; i < labelSets; i++) {
  const labels = {
    http_request_method: METHODS[i % METHODS.length]!,
    http_route: `/route/${Math.floor(i / METHODS.length)}`,
    http_response_status_code: 200,
    tenant_id: '',
  };
  for (let n = 0; n < 3; n++) {
    const value = 0.001 * (i % 200) * (n + 1);
    instrument.observe(labels, value);
    plainText.observe(labels, value);
    plainOpenMetrics.observe({ value, labels });
  }
}

const renderers: Record<string, () => Promise<string>> = {
  'sightline.prometheus': () => sightline.render('prometheus'),
  'plain.prometheus': () => plain.prometheus.metrics(),
  'sightline.openmetrics': () => sightline.render('openmetrics'),
  'plain.openmetrics': () => plain.openmetrics.metrics(),
};
const times = new Map<string, number[]>(Object.keys(renderers).map((k) => [k, []]));
const delays = new Map<string, number>();
const bytes = new Map<string, number>();
for (const [name, render] of Object.entries(renderers)) bytes.set(name, (await render()).length);
for (let scrape = 0; scrape < spec.scrapes; scrape++) {
  for (const [name, render] of Object.entries(renderers)) {
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    await sleep(5);
    const started = performance.now();
    await render();
    times.get(name)!.push(performance.now() - started);
    await sleep(20);
    delay.disable();
    delays.set(name, Math.max(delays.get(name) ?? 0, delay.max / 1e6));
  }
}
const result: ScrapeRunResult = {
  labelSets,
  timings: Object.fromEntries(
    Object.keys(renderers).map((name) => [name, { renderMs: median(times.get(name)!), maxDelayMs: delays.get(name)!, bytes: bytes.get(name)! }]),
  ),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
