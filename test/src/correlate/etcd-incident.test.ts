/**
 * A real three-member etcd cluster (two members logging zap JSON, one capnslog text) whose leader
 * is SIGKILLed: ktrail, given the members' logs, reports an etcd leadership incident whose
 * evidence cites the lines of at least two members.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etcdSkip, startEtcdCluster, type EtcdCluster } from '../../helpers/etcd-cluster.js';
import { cliPath } from '../../helpers/paths.js';

const cli = cliPath();

test('a real etcd cluster whose leader is killed gives an etcd-leader-loss incident citing two members', { skip: etcdSkip(), timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-etcd-incident-'));
  let cluster: EtcdCluster | undefined;
  let passed = false;
  try {
    cluster = await startEtcdCluster({ loggers: ['zap', 'zap', 'capnslog'], heartbeatMs: 100, electionMs: 1000 });
    const first = await cluster.waitForLeader({ timeoutMs: 15_000 });
    await first.leader.kill('SIGKILL');
    const second = await cluster.waitForLeader({ timeoutMs: 15_000, minTerm: first.term });
    await cluster.stop(300);

    const logs = join(dir, 'logs');
    mkdirSync(logs);
    for (const m of cluster.members) copyFileSync(m.logFile, join(logs, `etcd-${m.name}.log`));
    const r = spawnSync(process.execPath, [cli, 'incidents', logs, '--db', join(dir, 'k.db'), '-o', 'json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const incidents = JSON.parse(r.stdout) as { kind: string; summary: string; evidence: { file: string; component: string }[] }[];
    const leadership = incidents.filter((i) => i.kind === 'etcd-leader-loss');
    assert.ok(leadership.length >= 1, `incidents: ${incidents.map((i) => i.kind).join(', ') || 'none'}`);
    const files = new Set(leadership.flatMap((i) => i.evidence.map((e) => e.file)));
    assert.ok(files.size >= 2, `evidence from ${[...files].join(', ')}`);
    assert.ok(leadership.every((i) => i.evidence.every((e) => e.component === 'etcd')));
    // The summary names the member that was killed and the one that took over from it, with the
    // term, as the members' own lines state them. The truth is read from the raw logs, not from
    // waitForLeader's snapshot: under load a second election can follow before the poll sees an
    // agreed leader, or after it and before the stop. The member that took over is the one raft
    // says `became leader` at the lowest term above the killed leader's (a split vote elects
    // no one at its term). Both loggers print that line in the same words ("<id> became leader at
    // term N", zap in its msg, capnslog after "raft... INFO: "); an ID is %x, so it can be shorter
    // than 16 digits.
    const won = cluster.members
      .flatMap((m) => [...readFileSync(m.logFile, 'utf8').matchAll(/\b([0-9a-f]{1,16}) became leader at term (\d+)\b/g)])
      .map((m) => ({ id: m[1]!, term: Number(m[2]) }))
      .filter((w) => w.term > first.term)
      .sort((a, b) => a.term - b.term)[0];
    assert.ok(won, `no member logged "became leader" above term ${first.term}`);
    assert.notEqual(won.id, first.id);
    assert.ok(won.term <= second.term, `elected at term ${won.term}, but the members agreed on term ${second.term}`);
    const lost = leadership.find((i) => i.summary.startsWith(`etcd leader ${first.id} `));
    assert.ok(lost, `no incident names the killed leader ${first.id}: ${leadership.map((i) => i.summary).join(' | ')}`);
    assert.match(lost.summary, new RegExp(`^etcd leader ${first.id} .*lost leadership at term \\d+; ${won.id} became leader at term ${won.term};`), `${lost.summary} (logs kept in ${logs})`);
    passed = true;
  } finally {
    await cluster?.dispose();
    // A failure keeps the members' logs: a real cluster's run cannot be repeated.
    if (passed) rmSync(dir, { recursive: true, force: true });
  }
});
