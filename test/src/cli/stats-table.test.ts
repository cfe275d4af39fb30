/** The per-source table of `ktrail stats`: columns aligned, counts right-aligned, log-borne names neutralized. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSourcesTable } from '../../../src/cli/stats-table.js';
import { newSourceStats, totals } from '../../../src/ingest/stats.js';

test('one row per source and a TOTAL row, aligned; a file name with a terminal escape is shown inert', () => {
  const a = { ...newSourceStats('/logs/kubelet.log'), envelope: 'cri', formats: { klog: 90, logfmt: 10 }, components: { kubelet: 100 }, linesRead: 120, events: 100, folded: 20 };
  const b = { ...newSourceStats('/logs/\u001b[31mevil\u001b[0m.log'), linesRead: 7, setAside: 7 };
  const text = formatSourcesTable([a, b], totals([a, b]));
  const lines = text.split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines[0]!, /^source +envelope +formats +components +lines +events +folded +unrecognized +set aside$/);
  assert.match(lines[1]!, /^\/logs\/kubelet\.log +cri +klog,logfmt +kubelet +120 +100 +20 +0 +0$/);
  assert.doesNotMatch(text, /\u001b/);
  assert.match(lines[3]!, /^TOTAL +127 +100 +20 +0 +7$/);
  // Every row is as wide as the header: the columns line up.
  assert.ok(lines.every((l) => l.length === lines[0]!.length), lines.map((l) => l.length).join(' '));
});
