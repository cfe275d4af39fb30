/**
 * failed-scheduling's pod fact: the scheduler's older text line names its pod only in the message
 * (Kubernetes ≤ 1.18 scheduler.go: `klog.V(3).Infof("Unable to schedule %v/%v: no fit: %v;
 * waiting", ...)`), so the signal states it as `pod` and the unschedulable rule reads that fact.
 * The newer line (../shared/corpus/failure-cases/C5, read through the real parsers) has a `pod`
 * field and states no such fact.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf, factsOfLines, stating } from '../../helpers/signal-lines.js';

test('failure case C5: the structured "Unable to schedule pod" lines give the reason from err and no pod fact', { skip: corpusSkip() }, async () => {
  const stated = stating(await eventsOf([corpus('failure-cases/C5/log/2023-08-29T23:48:45-scheduler.log.txt')]), 'failed-scheduling');
  assert.ok(stated.length > 0);
  for (const s of stated) {
    assert.equal(s.facts['pod'], undefined);
    assert.match(String(s.facts['reason']), /^0\/4 nodes are available: /);
    assert.equal(typeof s.event.fields['pod'], 'string');
  }
});

test('the older text line names its pod as a fact; a line that only starts alike names none', async () => {
  const why = '0/3 nodes are available: 3 Insufficient cpu.';
  assert.deepEqual(
    await factsOfLines(
      [
        `I0830 04:47:42.788668       1 scheduler.go:599] Unable to schedule batch/report-abc-x7k2p: no fit: ${why}; waiting`,
        'I0830 04:47:43.788668       1 scheduler.go:599] Unable to schedule pod: the cache is not synced',
      ],
      'failed-scheduling',
      'kube-scheduler.log',
    ),
    [{ reason: why, pod: 'batch/report-abc-x7k2p' }, { reason: '' }],
  );
});
