/**
 * The TUI's rows: an event's list row shows the fields that matter for its kind of line, and an
 * incident's evidence row what makes the line evidence (its signal's facts), on real lines.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoredEvent } from '../../../src/store/store.js';
import { eventRow, evidenceRow, rowLayout } from '../../../src/tui/format.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf } from '../../helpers/signal-lines.js';

const text = (line: { text: string }[]): string => line.map((s) => s.text).join('');

test('an evidence row shows the exit code; a list row the HTTP verb, URI, status and latency', { skip: corpusSkip() }, async () => {
  const kubelet = await eventsOf([corpus('openshift-kubelet-journal')]);
  const died = kubelet.find((e) => e.message === 'Generic (PLEG): container finished' && e.fields.exitCode === 1)!;
  const stored: StoredEvent = { ...died, id: 1, sourceId: 1, cluster: '' };
  const layout = rowLayout(200, false);
  assert.match(text(evidenceRow('trigger', stored, 1, layout, false, false)), /trigger +.*Generic \(PLEG\): container finished container-died exitCode=1$/);
  const api = await eventsOf([corpus('raw-klog-1.19', 'kube-apiserver.log')]);
  const http = api.find((e) => e.message === 'HTTP')!;
  assert.match(text(eventRow({ ...http, id: 2, sourceId: 1, cluster: '' }, layout, false, false)), / HTTP verb=GET URI=\/\S+ resp=\d{3} latency=\S+$/);
});
