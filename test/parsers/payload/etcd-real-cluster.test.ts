/**
 * A real three-member etcd cluster (members 1 and 2 log with zap, member 3 with capnslog): wait
 * for a leader, SIGKILL it, wait for the next election, then read what every member wrote with
 * the etcd parsers and check that the leadership change comes out as raft facts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { PayloadResult } from '../../../parsers/types.js';
import { etcdCapnslogParser } from '../../../parsers/payload/etcd-capnslog.js';
import { etcdZapParser } from '../../../parsers/payload/etcd-zap.js';
import { etcdSkip, startEtcdCluster, type EtcdCluster, type EtcdMember } from '../../helpers/etcd-cluster.js';

interface Parsed {
  results: PayloadResult[];
  unmatched: string[];
}

function parseLog(file: string): Parsed {
  const results: PayloadResult[] = [];
  const unmatched: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    const parser = [etcdZapParser, etcdCapnslogParser].find((p) => p.matches(line));
    if (parser) results.push(parser.parse([line], {}));
    else unmatched.push(line);
  }
  return { results, unmatched };
}

function raftEvents(p: Parsed, kinds: string[]): PayloadResult[] {
  return p.results.filter((r) => kinds.includes(r.fields['raft'] as string));
}

test('a real etcd cluster: killing the leader shows up as raft facts in zap and capnslog logs', { skip: etcdSkip(), timeout: 30_000 }, async () => {
  let cluster: EtcdCluster | undefined;
  try {
    cluster = await startEtcdCluster({ loggers: ['zap', 'zap', 'capnslog'], heartbeatMs: 100, electionMs: 1000 });
    const first = await cluster.waitForLeader({ timeoutMs: 12_000 });
    // Every member answered a status call, so every member's hex ID is known.
    const ids = new Map<EtcdMember, string>(cluster.members.map((m) => [m, m.id!]));
    assert.equal(new Set(ids.values()).size, 3);

    await first.leader.kill('SIGKILL');
    const second = await cluster.waitForLeader({ timeoutMs: 12_000, minTerm: first.term });
    assert.notEqual(second.id, first.id);
    assert.ok(second.term > first.term, `new term ${second.term} > first term ${first.term}`);
    // Everything to check is written by now: a short grace, then SIGKILL.
    await cluster.stop(300);

    const parsed = new Map(cluster.members.map((m) => [m, parseLog(m.logFile)]));
    for (const [m, p] of parsed) {
      // Every line a member wrote is an etcd line of its logger's format.
      assert.deepEqual(p.unmatched, [], `${m.name} lines no parser took`);
      // (grpc's own logger writes a few Go-log lines into either; the capnslog parser takes them.)
      const format = m.logger === 'zap' ? 'etcd-zap' : 'etcd-capnslog';
      const own = p.results.filter((r) => r.fields['package'] !== 'grpc');
      assert.deepEqual(new Set(own.map((r) => r.format)), new Set([format]), m.name);
      // Raft facts name the member that wrote them.
      for (const r of p.results.filter((x) => x.fields['raft'] !== undefined)) {
        assert.equal(r.fields['member'], ids.get(m), `${m.name}: ${r.message}`);
        assert.equal(typeof r.fields['term'], 'number');
      }
    }

    // The first election: every member (both formats) learns the same leader at the same term.
    const formatsSeeingFirst = new Set<string>();
    for (const [m, p] of parsed) {
      const elected = raftEvents(p, ['elected-leader']).filter((r) => r.fields['term'] === first.term);
      assert.ok(elected.length > 0, `${m.name} logs the election of term ${first.term}`);
      assert.equal(elected[0]!.fields['leader'], first.id);
      formatsSeeingFirst.add(elected[0]!.format);
    }
    assert.deepEqual(formatsSeeingFirst, new Set(['etcd-zap', 'etcd-capnslog']));
    const firstLeaderLog = parsed.get(first.leader)!;
    assert.ok(
      raftEvents(firstLeaderLog, ['became-leader']).some((r) => r.fields['term'] === first.term && r.fields['leader'] === first.id),
      'the first leader logs that it became leader',
    );

    // The change: at least two members (the survivors) log the new leader at the new, higher term,
    // and that they lost the old one.
    const survivors = cluster.members.filter((m) => m !== first.leader);
    let sawChange = 0;
    for (const m of survivors) {
      const p = parsed.get(m)!;
      const elected = raftEvents(p, ['elected-leader', 'changed-leader']).filter((r) => r.fields['leader'] === second.id);
      assert.ok(elected.length > 0, `${m.name} logs the new leader ${second.id}`);
      const terms = elected.map((r) => r.fields['term'] as number);
      assert.ok(Math.max(...terms) > first.term, `${m.name}: new leader's term ${terms} above ${first.term}`);
      assert.ok(
        raftEvents(p, ['lost-leader']).some((r) => r.fields['leader'] === first.id && (r.fields['term'] as number) > first.term),
        `${m.name} logs losing ${first.id}`,
      );
      sawChange++;
    }
    assert.ok(sawChange >= 2);
    const newLeaderLog = parsed.get(second.leader)!;
    assert.ok(raftEvents(newLeaderLog, ['became-leader']).some((r) => r.fields['term'] === second.term));
  } finally {
    await cluster?.dispose();
  }
});
