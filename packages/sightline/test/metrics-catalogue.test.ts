import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogue } from '../src/metrics/catalogue.ts';
import type { MetricDefinition } from '../src/metrics/definition.ts';

const definitions: MetricDefinition[] = Object.values(catalogue);
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** OpenTelemetry's conversion of an instrument name to a Prometheus name. */
function prometheusNameOf(definition: MetricDefinition & { semanticConvention: string }): string {
  const unitSuffix = definition.unit === 'seconds' ? '_seconds' : '';
  const typeSuffix = definition.type === 'counter' ? '_total' : '';
  return definition.semanticConvention.replaceAll('.', '_') + unitSuffix + typeSuffix;
}

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
        if (definition.semanticConvention !== undefined) {
          assert.equal(definition.name, prometheusNameOf({ ...definition, semanticConvention: definition.semanticConvention }));
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
