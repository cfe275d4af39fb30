/**
 * The store's detection area (src/store/incident-detection.ts) on SQLite: the signals pass, the
 * rules' view and the incident write, reached through the store and never through its connection.
 */
import { SIGNAL_REGISTRY } from '../../../src/signals/index.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { detectIncidents, type Rule } from '../../../src/correlate/incidents/index.js';
import { openStore } from '../../../src/store/connection.js';
import { crashloopRule } from '../../../src/correlate/incidents/rules/crashloop.js';
import { crashing, incidents } from '../correlate/incidents/fixture.js';

test('signals are computed into the store, and the view reads the events that state them', () => {
  const { f, ids } = crashing();
  const detection = f.store.detection;
  assert.deepEqual(detection.view(0.5).signalled(['back-off-restarting']), [], 'no signals before the pass');
  detection.computeSignals(SIGNAL_REGISTRY);
  const view = detection.view(0.5);
  assert.deepEqual(
    view.signalled(['back-off-restarting']).map((e) => e.id),
    ids,
  );
  assert.equal(view.minConfidence, 0.5);
});

test('replaceIncidents writes the candidates in place of every earlier incident', () => {
  const { f } = crashing();
  const detection = f.store.detection;
  detection.computeSignals(SIGNAL_REGISTRY);
  const candidates = [...crashloopRule.detect(detection.view(0.5))];
  assert.equal(candidates.length, 1);
  assert.deepEqual(detection.replaceIncidents([{ cluster: '', candidates }], 2), { evidenceRows: 2 });
  assert.deepEqual(detection.replaceIncidents([{ cluster: 'c1', candidates }], 10), { evidenceRows: 3 });
  assert.equal(incidents(f.db).length, 1);
  assert.deepEqual(f.store.incidents.list().map((i) => i.cluster), ['c1'], 'the incidents area reads what detection wrote, with its cluster');
  assert.deepEqual(detection.clusters(), [''], 'the clusters with events');
  assert.deepEqual(detection.view(0.5, 'elsewhere').signalled(['back-off-restarting']), [], 'a view of another cluster sees none of its events');
  detection.replaceIncidents([], 10);
  assert.equal(f.store.incidents.list().length, 0);
});

test('scratchDir: the store file\'s folder, where detection spills its candidates; the temp dir in memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'detection-scratch-'));
  try {
    const { f } = crashing(join(dir, 'k.db'));
    const store = f.store;
    try {
      assert.equal(store.detection.scratchDir(), dir);
      // A rule that looks beside the store while detection runs finds the spill's folder there.
      const seen: string[] = [];
      const looking: Rule = { ...crashloopRule, detect: () => (seen.push(...readdirSync(dir)), []) };
      detectIncidents(store, { rules: [looking] });
      assert.ok(seen.some((n) => n.startsWith('.ktrail-candidates-')), `spill beside the store while detecting (saw ${seen.join(', ')})`);
      assert.ok(!readdirSync(dir).some((n) => n.startsWith('.ktrail-candidates-')), 'and gone after');
    } finally {
      store.close();
    }
    assert.equal(openStore(':memory:').detection.scratchDir(), tmpdir());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
