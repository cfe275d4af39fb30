/**
 * pleg-not-healthy: the real kubelets' start-up "pleg has yet to be successful" is no incident (kind
 * 1.32 bundle); a PLEG past its threshold, written to pkg/kubelet/pleg/generic.go's format inside
 * the corpus's "Skipping pod synchronization" line, is one on its node.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plegNotHealthyRule } from '../../../../../src/correlate/incidents/rules/pleg-not-healthy.js';
import { corpus, corpusSkip } from '../../../../helpers/paths.js';
import { assertSole, detectOnFiles, detectOnLines } from '../fixture.js';

test('start-up PLEG lines on a real kubelet are no incident', { skip: corpusSkip() }, async () => {
  assert.deepEqual(await detectOnFiles([corpus('kind-1.32-bundle')], plegNotHealthyRule), []);
});

test('a PLEG past its threshold: the node, how long, the threshold, the inference marked', async () => {
  const line = (t: string, ago: string): string =>
    `Mar 21 ${t} kind-worker kubelet[287]: E0321 ${t}.649727     287 kubelet.go:2412] "Skipping pod synchronization" err="PLEG is not healthy: pleg was last seen active ${ago} ago; threshold is 3m0s"`;
  const found = await detectOnLines([line('14:55:20', '3m0.5s'), line('14:55:25', '3m5.5s')], 'journal.log', plegNotHealthyRule);
  assertSole(
    found,
    'node/kind-worker',
    'node kind-worker: PLEG is not healthy, 2 reports in 5 s: pleg was last seen active 3m0.5s (up to 3m5.5s) ago, threshold 3m0s (inferred: the container runtime hung or the node is overloaded)',
  );
});
