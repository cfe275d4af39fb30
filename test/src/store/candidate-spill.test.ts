/**
 * The candidate spill (src/store/candidate-spill.ts): a candidate comes back as it went in; a
 * cluster's candidates come out in detection's order (start, kind as localeCompare orders it,
 * then the order they were added); absorb's load, update and remove; the tally; the file goes
 * away on close.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { CandidateSpill, SPILL_PREFIX, decodeCandidate, encodeCandidate } from '../../../src/store/candidate-spill.js';
import { addEvidence, newCandidate } from '../../../src/correlate/incidents/candidate.js';
import { INCIDENT_KINDS, type Candidate, type IncidentKind } from '../../../src/correlate/incidents/types.js';
import type { ObjectRow } from '../../../src/store/incident-view.js';

const POD: ObjectRow = { id: 7, uid: 'u7', kind: 'Pod', namespace: 'shop', name: 'web-1', firstSeen: 1, lastSeen: 9, deleted: null };

function candidate(kind: IncidentKind, start: number, summary: string = kind, rooted = true): Candidate {
  const c = newCandidate(kind, 'error', rooted ? POD : undefined, { kind: 'Pod', namespace: 'shop', name: 'web-1' }, summary);
  c.start = start;
  c.end = start + 10;
  addEvidence(c, 30, 'evidence');
  addEvidence(c, 10, 'trigger');
  return c;
}

test('encodeCandidate/decodeCandidate: every field back, evidence and affected in their order', () => {
  const c = candidate('crashloop', 5);
  c.affected.add(9).add(3);
  c.causeChain.push({ kind: 'rollout', objectUid: 'd1', object: 'deployment/shop/web', time: 2, summary: 'Scaled up' });
  c.counts['exits'] = 4;
  c.notes['threshold'] = { backoff: 20 };
  c.absorbed.push({ kind: 'probe-failure', root: 'pod/shop/web-1', events: 2 });
  const back = decodeCandidate(encodeCandidate(c));
  assert.deepEqual(back, c);
  assert.deepEqual([...back.evidence], [[30, 'evidence'], [10, 'trigger']]);
  assert.deepEqual([...back.affected], [9, 3]);
  const bare = decodeCandidate(encodeCandidate(candidate('eviction', 1, 'x', false)));
  assert.equal(bare.root, undefined, 'no root stays no root');
});

test('sorted: by start, then kind in localeCompare order, then the order added; one cluster at a time', () => {
  const spill = new CandidateSpill();
  try {
    // Kinds whose names differ only after a hyphen or a digit: SQL's own text order is not the rule.
    const order = [...INCIDENT_KINDS].sort((a, b) => a.localeCompare(b));
    const added: Candidate[] = [];
    for (const kind of [...INCIDENT_KINDS].reverse()) {
      const c = candidate(kind, 100);
      added.push(c);
      spill.add('a', c);
    }
    const early = candidate('crashloop', 50, 'early');
    const tie1 = candidate('eviction', 100, 'tie 1');
    const tie2 = candidate('eviction', 100, 'tie 2');
    const never = candidate('eviction', Number.MAX_SAFE_INTEGER, 'no triggers');
    for (const c of [tie1, never, early, tie2]) spill.add('a', c);
    spill.add('b', candidate('oom-kill', 1, 'other cluster'));
    const out = [...spill.sorted('a')];
    const inMemory = [...added, tie1, never, early, tie2].sort((a, b) => a.start - b.start || a.kind.localeCompare(b.kind));
    assert.deepEqual(out.map((c) => c.summary), inMemory.map((c) => c.summary), 'the order detection sorted in memory');
    assert.deepEqual(out.slice(1, -1).filter((c) => c.summary === c.kind).map((c) => c.kind), order);
    assert.deepEqual(out.filter((c) => c.kind === 'eviction').map((c) => c.summary), ['eviction', 'tie 1', 'tie 2', 'no triggers']);
    assert.deepEqual([...spill.sorted('b')].map((c) => c.summary), ['other cluster']);
  } finally {
    spill.close();
  }
});

test('load, update, remove and tally: what absorb changes is what the write reads', () => {
  const spill = new CandidateSpill();
  try {
    const host = candidate('crashloop', 10, 'host');
    const part = candidate('probe-failure', 20, 'part');
    spill.add('c', host);
    spill.add('c', candidate('eviction', 5, 'untouched', false));
    spill.add('c', part);
    spill.add('d', candidate('crashloop', 1, 'other cluster'));
    host.causeChain.push({ kind: 'oom-kill', objectUid: null, object: 'pod/x', time: 1, summary: 's' });
    spill.add('c', host);
    assert.deepEqual([...spill.stepKinds], ['oom-kill']);
    assert.deepEqual(spill.kinds('c'), new Set(['crashloop', 'eviction', 'probe-failure']));
    const loaded = spill.load('c', new Set<IncidentKind>(['crashloop', 'probe-failure']));
    assert.deepEqual([...loaded.keys()].map((c) => c.summary), ['host', 'part', 'host'], 'in the order added, that cluster only');
    const [first, gone] = [...loaded.keys()];
    first!.summary = 'host, grown';
    spill.update(loaded.get(first!)!, first!);
    spill.remove(loaded.get(gone!)!);
    assert.deepEqual([...spill.sorted('c')].map((c) => c.summary), ['untouched', 'host, grown', 'host']);
    const t = spill.tally('c');
    assert.equal(t.incidents, 3);
    assert.deepEqual(t.byKind, new Map([['crashloop', 2], ['eviction', 1]]));
    assert.deepEqual(t.bySeverity, new Map([['error', 3]]));
    assert.equal(t.unresolved, 1, 'the eviction has no root object');
    assert.equal(spill.load('c', new Set()).size, 0);
  } finally {
    spill.close();
  }
});

test('the spill lives in a hidden folder of the directory it is given, and close deletes it', () => {
  const parent = mkdtempSync(join(tmpdir(), 'spill-parent-'));
  try {
    const spill = new CandidateSpill(parent);
    const made = readdirSync(parent);
    assert.equal(made.length, 1);
    assert.match(made[0]!, new RegExp(`^\\.ktrail-candidates-${process.pid}-`), 'named with its process');
    spill.add('', candidate('crashloop', 1));
    spill.close();
    assert.deepEqual(readdirSync(parent), [], 'nothing left beside the store');
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});

test('a killed ingest\'s spill folder beside the store is removed by the next spill there', () => {
  const parent = mkdtempSync(join(tmpdir(), 'spill-parent-'));
  try {
    // A pid no process holds now: a child that has exited.
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const left = `${SPILL_PREFIX}${dead}-Ab12Cd`;
    mkdirSync(join(parent, left));
    writeFileSync(join(parent, left, 'candidates.db'), 'x'.repeat(4096));
    const spill = new CandidateSpill(parent);
    const now = readdirSync(parent);
    assert.equal(now.length, 1, now.join(', '));
    assert.notEqual(now[0], left, 'the killed one is gone; the new one is there');
    spill.close();
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});
