import { counter, gauge, histogram } from './definition.ts';

/**
 * The process and runtime metrics of the Prometheus client's default
 * collectors that Sightline's dashboards chart, declared here so dashboards
 * take their names from one place. The client owns these metrics (names,
 * help and buckets are the client's); they are not part of {@link catalogue}
 * because Sightline does not create them through its instruments.
 */
export const runtimeMetrics = Object.freeze({
  processCpu: counter({
    name: 'process_cpu_seconds_total',
    help: 'Total user and system CPU time spent in seconds.',
    unit: 'seconds',
    labelNames: [],
  }),
  residentMemory: gauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory size in bytes.',
    unit: 'bytes',
    labelNames: [],
  }),
  heapUsed: gauge({
    name: 'nodejs_heap_size_used_bytes',
    help: 'Process heap size used from Node.js in bytes.',
    unit: 'bytes',
    labelNames: [],
  }),
  eventLoopLagP99: gauge({
    name: 'nodejs_eventloop_lag_p99_seconds',
    help: 'The 99th percentile of the recorded event loop delays.',
    unit: 'seconds',
    labelNames: [],
  }),
  gcDuration: histogram({
    name: 'nodejs_gc_duration_seconds',
    help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
    unit: 'seconds',
    labelNames: ['kind'],
    buckets: [0.001, 0.01, 0.1, 1, 2, 5],
  }),
});

/** The keys of {@link runtimeMetrics}. */
export type RuntimeMetricKey = keyof typeof runtimeMetrics;
