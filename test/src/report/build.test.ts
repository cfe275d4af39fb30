/**
 * The CI report's clock skew, read from the store, is the one `ktrail stats` reads from the stream;
 * and the report's evidence lines carry what makes them evidence.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingestPaths } from '../../../src/correlate/eval.js';
import { detectIncidents } from '../../../src/correlate/incidents/index.js';
import { linkObjects } from '../../../src/correlate/link.js';
import { estimateSkew } from '../../../src/correlate/skew.js';
import { buildCiReport } from '../../../src/report/build.js';
import { formatTerminalSummary } from '../../../src/report/terminal.js';
import { openStore } from '../../../src/store/writer.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf } from '../../helpers/signal-lines.js';

test('failure-cases: the report names each worker clock against the scheduler, as the stream does', { skip: corpusSkip() }, async (t) => {
  const store = openStore(':memory:');
  t.after(() => store.close());
  const path = corpus('failure-cases');
  await ingestPaths(store, [path]);
  linkObjects(store.correlation);
  detectIncidents(store);
  const report = buildCiReport(store, { failOn: 'error', input: { name: 'failure-cases', type: 'directory', sources: 0, refused: [], stopped: null }, version: 'test' });
  assert.deepEqual(report.clockSkew, estimateSkew(await eventsOf([path])));
  assert.deepEqual(report.clockSkew.hosts.map((h) => h.host), ['kube-scheduler (no host)', 'kind-worker', 'kind-worker2', 'kind-worker3']);
  const text = formatTerminalSummary(report, false);
  assert.match(text, /^clock skew \(reference kube-scheduler \(no host\); from 14 causal pairs/m);
  const unschedulable = report.incidents.find((i) => i.kind === 'unschedulable')!;
  assert.match(unschedulable.evidence[0]!.facts, /^failed-scheduling/);
  assert.match(text, /proof: failed-scheduling/);
});
