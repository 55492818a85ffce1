import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogue } from '../src/metrics/catalogue.ts';
import type { MetricDefinition } from '../src/metrics/definition.ts';
import { prometheusName } from '../src/metrics/naming.ts';

const definitions: MetricDefinition[] = Object.values(catalogue);
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * The one metric whose Prometheus name is not derived: the current convention
 * converts to a name ending in _count, which promtool rejects for a gauge.
 */
const PROMETHEUS_NAME_OVERRIDES = new Map([['db.client.connection.count', 'db_client_connections_usage']]);

describe('prometheusName, the one conversion from OpenTelemetry names', () => {
  const cases: [string, string, 'counter' | 'gauge' | 'histogram', string][] = [
    ['http.server.request.duration', 's', 'histogram', 'http_server_request_duration_seconds'],
    ['http.server.active_requests', '{request}', 'gauge', 'http_server_active_requests'],
    ['messaging.client.sent.messages', '{message}', 'counter', 'messaging_client_sent_messages_total'],
    ['app.jobs', '', 'counter', 'app_jobs_total'],
    ['app.jobs_total', '', 'counter', 'app_jobs_total'],
    ['process.memory', 'By', 'gauge', 'process_memory_bytes'],
    ['cache.fill', '1', 'gauge', 'cache_fill_ratio'],
    ['net.throughput', 'By/s', 'gauge', 'net_throughput_bytes_per_second'],
    ['queue.wait', 'ms', 'histogram', 'queue_wait_milliseconds'],
    ['9lives-count', '', 'gauge', '_9lives_count'],
  ];
  for (const [otelName, unit, kind, expected] of cases) {
    it(`${otelName} (${unit || 'no unit'}, ${kind}) is ${expected}`, () => assert.equal(prometheusName(otelName, unit, kind), expected));
  }
});

describe('metric catalogue', () => {
  it('declares each metric name once', () => {
    const names = definitions.map((d) => d.name);
    assert.deepEqual(names, [...new Set(names)]);
  });

  for (const definition of definitions) {
    describe(definition.name, () => {
      it('has a valid Prometheus name, help and label names', () => {
        assert.match(definition.name, METRIC_NAME);
        assert.ok(definition.help.length > 0);
        for (const label of definition.labelNames) {
          assert.match(label, LABEL_NAME);
          assert.ok(!label.startsWith('__'), `${label} is reserved`);
          assert.notEqual(label, 'le', 'le is reserved for histogram buckets');
        }
        assert.deepEqual(definition.labelNames, [...new Set(definition.labelNames)]);
      });

      it('follows the naming rules of its type and origin', () => {
        assert.equal(definition.name.endsWith('_total'), definition.type === 'counter');
        if (definition.unit === 'seconds') assert.ok(definition.name.endsWith('_seconds'));
        assert.equal(definition.name, PROMETHEUS_NAME_OVERRIDES.get(definition.otelName) ?? prometheusName(definition.otelName, definition.otelUnit, definition.type));
        if (definition.semanticConvention !== undefined) {
          assert.equal(definition.otelName, definition.semanticConvention);
        } else {
          assert.ok(definition.name.startsWith('sightline_'), 'our own metrics start with sightline_');
        }
      });

      if (definition.type === 'histogram') {
        it('has ascending, positive buckets', () => {
          assert.ok(definition.buckets.length > 0);
          definition.buckets.forEach((bound, i) => {
            assert.ok(bound > 0);
            if (i > 0) assert.ok(bound > (definition.buckets[i - 1] ?? 0));
          });
        });
      }
    });
  }

  it('puts a bucket boundary at the 500 ms objective on request and processing durations', () => {
    for (const definition of [catalogue.httpServerRequestDuration, catalogue.messagingProcessDuration]) {
      assert.ok(definition.buckets.includes(0.5), definition.name);
    }
  });

  it('declares state sets with a state label', () => {
    assert.deepEqual(catalogue.circuitBreakerState.states, ['closed', 'open', 'half_open']);
    assert.ok(catalogue.circuitBreakerState.labelNames.includes('state'));
  });
});
