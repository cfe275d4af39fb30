/**
 * The real-data incident benchmark (src/correlate/eval-real.ts) over every capture with an
 * expected-incidents file in test/real-incidents: precision at least 0.9 and recall at least 0.8,
 * no incident above info where nothing failed, and each file well formed.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CORPUS_DIR, evaluateReal, quickCaptureTruths, readCaptureTruths, realTotals, scoreCapture } from '../../../src/correlate/eval-real.js';
import { INCIDENT_KINDS } from '../../../src/correlate/incidents/index.js';
import { corpusSkip } from '../../helpers/paths.js';

test('every expected-incidents file names a corpus folder, known kinds, yearless spans, lines and why', () => {
  const truths = readCaptureTruths();
  assert.ok(truths.length >= 10, `${truths.length} captures`);
  assert.ok(quickCaptureTruths(truths).length >= 9, 'the quick captures the test scores');
  for (const t of truths) {
    assert.ok(t.paths.length > 0 && t.shows.length > 20, t.capture);
    if (!corpusSkip()) for (const p of t.paths) assert.ok(existsSync(join(CORPUS_DIR, p)), `${t.capture}: ${p}`);
    for (const i of t.incidents) {
      assert.ok((INCIDENT_KINDS as readonly string[]).includes(i.kind), `${t.capture}: ${i.kind}`);
      assert.match(i.start, /^\d\d-\d\dT\d\d:\d\d:\d\d$/);
      assert.match(i.end, /^\d\d-\d\dT\d\d:\d\d:\d\d$/);
      assert.ok(i.lines.length > 0 && i.why.length > 20, `${t.capture}: ${i.kind}`);
    }
  }
});

test('scoring: a match needs the kind, the root and an overlapping span; warnings that match nothing are false', () => {
  const truth = {
    capture: 'x',
    paths: ['x'],
    shows: 'a made-up capture for the scoring test',
    incidents: [{ kind: 'crashloop', root: 'pod/ns/a', start: '05-23T08:07:19', end: '05-23T08:07:49', lines: ['f:1'], why: 'two failures in a row' }],
    notIncidents: [],
  };
  const found = (kind: string, root: string, start: string, end: string, severity = 'error') => ({ kind, severity, root, start, end, summary: '' });
  assert.equal(scoreCapture(truth, [found('crashloop', 'pod/ns/a', '05-23T08:08:30', '05-23T08:09:00')]).found, 1); // within 60 s
  assert.equal(scoreCapture(truth, [found('crashloop', 'pod/ns/a', '05-23T08:09:00', '05-23T08:10:00')]).found, 0);
  assert.equal(scoreCapture(truth, [found('crashloop', 'pod/ns/b', '05-23T08:07:19', '05-23T08:07:49')]).found, 0);
  const s = scoreCapture(truth, [found('crashloop', 'pod/ns/a', '05-23T08:07:19', '05-23T08:07:49'), found('oom-kill', 'pod/ns/a', '05-23T08:07:19', '05-23T08:07:49', 'warn'), found('eviction', 'pod/ns/c', '05-23T08:07:19', '05-23T08:07:49', 'info')]);
  assert.deepEqual([s.found, s.falseIncidents.length, s.otherIncidents.length], [1, 1, 1]);
  assert.deepEqual(realTotals([s]), { expected: 1, found: 1, falseIncidents: 1, precision: 0.5, recall: 1 });
});

// The must-gather (slowSeconds in its file: a minute or two) is scored by `npm run eval -- --real`
// only; every other capture here.
test('real captures: precision >= 0.9 and recall >= 0.8; nothing above info where nothing failed', { skip: corpusSkip(), timeout: 300_000 }, async () => {
  const scores = await evaluateReal(quickCaptureTruths());
  const totals = realTotals(scores);
  const detail = scores.map((s) => `${s.capture}: ${s.found}/${s.expected}, false ${s.falseIncidents.map((f) => `${f.kind} ${f.root}`).join(', ') || 0}`).join('\n');
  assert.ok(totals.precision >= 0.9, `precision ${totals.precision}\n${detail}`);
  assert.ok(totals.recall >= 0.8, `recall ${totals.recall}\n${detail}`);
  for (const s of scores.filter((x) => x.expected === 0)) assert.deepEqual(s.falseIncidents, [], s.capture);
});
