/**
 * The targets of issue 14, checked against the figures of one run. A
 * target whose figures were not measured (scenario not run) is left out.
 */
import { fmt } from './report-types.ts';

type Figures = Readonly<Record<string, number>>;

/** One target: what it asks, and how it reads the figures. */
interface Target {
  readonly text: string;
  /** The measured value as text and whether it meets the target; undefined when a figure is missing. */
  readonly check: (f: (key: string) => number) => { measured: string; met: boolean };
}

const per = (framework: string): Target[] => {
  const key = (variant: string, field: string) => `http.${framework}.${variant}.${field}`;
  const name = framework === 'node' ? 'node:http' : 'Express';
  return [
    {
      text: `${name}: Sightline + middleware + metrics, 100% sampled: CPU/request ≤ 0.87× plain OpenTelemetry`,
      check: (f) => {
        const r = f(key('sightline-100', 'cpu')) / f(key('otel', 'cpu'));
        return { measured: `${fmt(r, 2)}×`, met: r <= 0.87 };
      },
    },
    {
      text: `${name}: the same, p99 ≤ plain OpenTelemetry's`,
      check: (f) => {
        const [a, b] = [f(key('sightline-100', 'p99')), f(key('otel', 'p99'))];
        return { measured: `${fmt(a, 2)} ms vs ${fmt(b, 2)} ms`, met: a <= b };
      },
    },
    {
      text: `${name}: 10% sampled: CPU/request ≤ 1.5× bare`,
      check: (f) => {
        const r = f(key('sightline-10', 'cpu')) / f(key('bare', 'cpu'));
        return { measured: `${fmt(r, 2)}× (plain OTel 10%: ${fmt(f(key('otel-10', 'cpu')) / f(key('bare', 'cpu')), 2)}×)`, met: r <= 1.5 };
      },
    },
    {
      text: `${name}: always_off: CPU/request ≤ 1.3× bare`,
      check: (f) => {
        const r = f(key('sightline-0', 'cpu')) / f(key('bare', 'cpu'));
        return { measured: `${fmt(r, 2)}×`, met: r <= 1.3 };
      },
    },
    {
      text: `${name}: \`--import sightline/register\` alone: CPU/request ≤ the auto-instrumentations'`,
      check: (f) => {
        const r = f(key('register', 'cpu')) / f(key('auto', 'cpu'));
        return { measured: `${fmt(r, 2)}×`, met: r <= 1 };
      },
    },
  ];
};

const TARGETS: readonly Target[] = [
  ...per('node'),
  ...per('express'),
  {
    text: 'memory bus (1 subscriber): telemetry on ≥ 0.75× off (events/s)',
    check: (f) => {
      const r = f('bus.memory-on-1.rate') / f('bus.memory-off-1.rate');
      return { measured: `${fmt(r, 2)}×`, met: r >= 0.75 };
    },
  },
  {
    text: 'memory bus, telemetry off: ≤ 10 µs CPU per event',
    check: (f) => {
      const v = f('bus.memory-off-1.cpu');
      return { measured: `${fmt(v)} µs`, met: v <= 10 };
    },
  },
  {
    text: 'JetStream transport (telemetry off) ≥ 0.90× the bare client (events/s)',
    check: (f) => {
      const r = f('nats.sightline-off.rate') / f('nats.bare.rate');
      return { measured: `${fmt(r, 2)}× (telemetry on: ${fmt(f('nats.sightline-on.rate') / f('nats.bare.rate'), 2)}×)`, met: r >= 0.9 };
    },
  },
  {
    text: '10,000 spans/s through the batch processor: 0 dropped',
    check: (f) => {
      const v = f('export.sightline.dropped');
      return { measured: `${fmt(v, 0)} dropped`, met: v === 0 };
    },
  },
  {
    text: '10,000 spans/s: < 15% of one core',
    check: (f) => {
      const v = f('export.sightline.core');
      return { measured: `${fmt(v)}%`, met: v < 15 };
    },
  },
  {
    text: '`/metrics` with 10,000 series ≤ 1.1× the Prometheus client\'s own render',
    check: (f) => {
      const r = f('scrape.10000.prometheus.ratio');
      return { measured: `${fmt(r, 2)}× (OpenMetrics: ${fmt(f('scrape.10000.openmetrics.ratio'), 2)}×)`, met: r <= 1.1 };
    },
  },
];

/** The rows of the targets table: target, measured, met. */
export function targetRows(figures: Figures): string[][] {
  const rows: string[][] = [];
  for (const target of TARGETS) {
    let missing = false;
    const get = (key: string): number => {
      const value = figures[key];
      if (value === undefined) missing = true;
      return value ?? Number.NaN;
    };
    const { measured, met } = target.check(get);
    if (!missing) rows.push([target.text, measured, met ? 'yes' : '**no**']);
  }
  return rows;
}
