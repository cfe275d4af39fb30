/**
 * `ktrail trace`: a name many objects had shows the newest of them with a note on stderr (--all:
 * every one), and a trace reads a store another connection holds open, while a writer's lock
 * still stops it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NEWEST_SHOWN, newestNote } from '../../../src/cli/trace.js';
import type { StoredObject } from '../../../src/store/store.js';
import { lockPath } from '../../../src/store/lock.js';
import { openStore } from '../../../src/store/writer.js';
import { cliPath } from '../../helpers/paths.js';

const cli = cliPath();
const PODS = 12;
const uid = (i: number): string => `3f9c2a10-5b6d-4e8f-9a1b-${String(i).padStart(12, '0')}`;

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A store where PODS pods, one a minute, were all called default/web-1 (kubelet's own line form). */
function reusedNameStore(dir: string): string {
  const lines = Array.from(
    { length: PODS },
    (_, i) =>
      `E0321 14:${String(10 + i).padStart(2, '0')}:30.000000    2689 pod_workers.go:1301] "Error syncing pod, skipping" ` +
      `err="failed to \\"StartContainer\\" for \\"web\\" with CrashLoopBackOff: \\"back-off 10s restarting failed container=web pod=web-1_default(${uid(i)})\\"" ` +
      `pod="default/web-1" podUID="${uid(i)}"`,
  );
  writeFileSync(join(dir, 'kubelet.log'), lines.join('\n') + '\n');
  const db = join(dir, 'k.db');
  const ingest = run(['ingest', join(dir, 'kubelet.log'), '--db', db]);
  assert.equal(ingest.status, 0, ingest.stderr);
  return db;
}

function object(id: number, firstSeen: number | null): StoredObject {
  return { id, cluster: '', uid: uid(id), kind: 'Pod', namespace: 'default', name: 'web-1', first_seen: firstSeen, last_seen: firstSeen, deleted: 0 } as StoredObject;
}

test('newestNote: none when every match is shown; past that how many, their span, and how to see them', () => {
  const shown = Array.from({ length: NEWEST_SHOWN }, (_, i) => object(i, 1_000_000 * (i + 1)));
  assert.equal(newestNote('pod/default/web-1', { objects: shown, count: NEWEST_SHOWN, firstSeen: 1e6, lastSeen: 1e7 }), undefined);
  const note = newestNote('pod/default/\u001b[31mweb-1', { objects: shown, count: 14, firstSeen: 5e6, lastSeen: 9e6 });
  assert.match(note!, /^ktrail: 14 objects match "pod\/default\/.*web-1" \(first seen 1970-01-01T00:00:05\.000000Z to 1970-01-01T00:00:09\.000000Z\); showing the newest 10 \(--all/);
  assert.ok(!note!.includes('\u001b'), 'the reference is shown neutralized');
  const unseen = newestNote('x', { objects: shown, count: 11, firstSeen: null, lastSeen: null });
  assert.match(unseen!, /^ktrail: 11 objects match "x"; showing the newest 10/, 'no span when no first sighting is known');
});

test('trace of a name twelve pods had: the newest ten and a note; --all every one; -o json the same ten', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-trace-'));
  try {
    const db = reusedNameStore(dir);
    const text = run(['trace', 'pod/default/web-1', '--db', db]);
    assert.equal(text.status, 0, text.stderr);
    const roots = [...text.stdout.matchAll(/^pod\/default\/web-1 {2}uid (\S+)$/gm)].map((m) => m[1]);
    assert.deepEqual(roots, Array.from({ length: NEWEST_SHOWN }, (_, i) => uid(PODS - NEWEST_SHOWN + i)));
    assert.match(text.stderr, /^ktrail: 12 objects match "pod\/default\/web-1" \(first seen \S+ to \S+\); showing the newest 10/);

    const all = run(['trace', 'pod/default/web-1', '--db', db, '--all']);
    assert.equal(all.status, 0, all.stderr);
    assert.equal(all.stderr, '');
    assert.deepEqual(
      [...all.stdout.matchAll(/^pod\/default\/web-1 {2}uid (\S+)$/gm)].map((m) => m[1]),
      Array.from({ length: PODS }, (_, i) => uid(i)),
    );

    const json = run(['trace', 'pod/default/web-1', '--db', db, '-o', 'json']);
    const timelines = JSON.parse(json.stdout) as { root: { uid: string }; events: unknown[] }[];
    assert.deepEqual(
      timelines.map((t) => t.root.uid),
      roots,
    );
    assert.ok(timelines.every((t) => t.events.length === 1));

    // An older one is still there by its uid.
    const old = run(['trace', uid(0), '--db', db]);
    assert.equal(old.status, 0, old.stderr);
    assert.match(old.stdout, new RegExp(`uid ${uid(0)}\\n1 events`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a trace reads a store another connection holds open; an ingest in progress (its lock) still stops it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-trace-'));
  try {
    const db = reusedNameStore(dir);
    // This process holds the store open as trace opens it: read-only, no write lock. (The older
    // trace passed this too; a long reader refusing the others is store-commands.test.ts's.)
    const reader = openStore(db, { preferReadonly: true });
    try {
      const r = run(['trace', uid(3), '--db', db]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`uid ${uid(3)}`));
    } finally {
      reader.close();
    }

    // A writer's lock, held by a live process, stops it with the holder's name, as before.
    const sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      writeFileSync(lockPath(db), JSON.stringify({ pid: sleeper.pid, command: 'ktrail ingest x', since: '2026-01-01T00:00:00.000Z' }));
      const r = run(['trace', uid(3), '--db', db]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, new RegExp(`another ktrail is writing this store \\(pid ${sleeper.pid}, \`ktrail ingest x\``));
      assert.equal(r.stdout, '');
    } finally {
      sleeper.kill();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
