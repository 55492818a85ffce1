import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SloFileError } from 'sightline/errors';
import { parseSloFile } from 'sightline-cli';

function problemsOf(text: string): string {
  try {
    parseSloFile(text, 'slo.yml');
  } catch (error) {
    assert.ok(error instanceof SloFileError);
    assert.equal(error.code, 'SIGHTLINE_INVALID_SLO_FILE');
    assert.equal(error.file, 'slo.yml');
    return error.message;
  }
  assert.fail('expected the SLO file to be rejected');
}

describe('SLO file', () => {
  it('reads objectives and fills in the 30-day window', () => {
    const slo = parseSloFile('services:\n  - name: shop\n    objectives:\n      availability: { target: 99.5 }\n      latency: { target: 99, threshold: 250ms, window: 28d }\n');
    assert.deepEqual(slo, {
      services: [
        {
          name: 'shop',
          objectives: { availability: { target: 99.5, window: '30d' }, latency: { target: 99, threshold: '250ms', window: '28d' } },
        },
      ],
    });
  });

  it('accepts every request-duration bucket as a latency threshold, 75ms included', () => {
    for (const threshold of ['5ms', '75ms', '500ms', '1s', '2500ms', '10s']) {
      parseSloFile(`services:\n  - name: a\n    objectives:\n      latency: { target: 99, threshold: ${threshold} }\n`);
    }
  });

  for (const [why, text, expected] of [
    ['invalid YAML', 'services: [', /is not valid YAML/],
    ['no services', 'services: []', /services must list at least one service/],
    ['a target of 100', 'services:\n  - name: a\n    objectives:\n      availability: { target: 100 }\n', /services\[0\]\.objectives\.availability\.target must be below 100 .*\(got 100\)/],
    ['a target given as text', 'services:\n  - name: a\n    objectives:\n      availability: { target: "99.9%" }\n', /target must be a number.*got "99\.9%"/],
    ['a window that is not a duration', 'services:\n  - name: a\n    objectives:\n      availability: { target: 99, window: 1 month }\n', /window must be a Prometheus duration.*got "1 month"/],
    ['a threshold off the buckets', 'services:\n  - name: a\n    objectives:\n      latency: { target: 99, threshold: 300ms }\n', /threshold must be a bucket boundary.*500ms.*got "300ms"/],
    ['no objectives', 'services:\n  - name: a\n    objectives: {}\n', /services\[0\]\.objectives must declare availability, latency or both/],
    ['an unknown field', 'services:\n  - name: a\n    objective: {}\n', /services\[0\]/],
    ['a name Prometheus cannot use', 'services:\n  - name: "my shop"\n    objectives:\n      availability: { target: 99 }\n', /services\[0\]\.name must be letters.*got "my shop"/],
    ['a runbookBase that is not a URL', 'runbookBase: docs/alerts.md\nservices:\n  - name: a\n    objectives: { availability: { target: 99 } }\n', /runbookBase must be an absolute http\(s\) URL .*got "docs\/alerts\.md"/],
    ['an error ratio threshold given in percent', 'services:\n  - name: a\n    thresholds: { serverErrorRatio: 5 }\n    objectives: { availability: { target: 99 } }\n', /services\[0\]\.thresholds\.serverErrorRatio must be a ratio above 0 and below 1, e\.g\. 0\.05 for 5% \(got 5\)/],
    ['a latency threshold that is not a duration', 'services:\n  - name: a\n    thresholds: { latencyP95: fast }\n    objectives: { availability: { target: 99 } }\n', /services\[0\]\.thresholds\.latencyP95 must be a Prometheus duration.*\(got "fast"\)/],
    ['a zero query threshold', 'services:\n  - name: a\n    thresholds: { queryP95: 0s }\n    objectives: { availability: { target: 99 } }\n', /services\[0\]\.thresholds\.queryP95 must be a duration above 0.*\(got "0s"\)/],
    ['a fractional backlog', 'services:\n  - name: a\n    thresholds: { eventBacklog: 10.5 }\n    objectives: { availability: { target: 99 } }\n', /services\[0\]\.thresholds\.eventBacklog must be a whole number of events above 0.*\(got 10\.5\)/],
    ['a negative traffic floor', 'services:\n  - name: a\n    thresholds: { minRequestRate: -1 }\n    objectives: { availability: { target: 99 } }\n', /services\[0\]\.thresholds\.minRequestRate must be a number of events per second, 0 or more.*\(got -1\)/],
    ['an unknown threshold', 'services:\n  - name: a\n    thresholds: { errorRatio: 0.1 }\n    objectives: { availability: { target: 99 } }\n', /services\[0\]\.thresholds.*errorRatio/],
    ['duplicate services', 'services:\n  - name: a\n    objectives: { availability: { target: 99 } }\n  - name: a\n    objectives: { availability: { target: 99 } }\n', /service names must be unique/],
  ] as const) {
    it(`rejects ${why}, naming the field and value`, () => {
      assert.match(problemsOf(text), expected);
    });
  }
});
