/**
 * etcd members to their pods on the OpenShift must-gather, whose etcd pods live in openshift-etcd
 * and whose paths carry no UID: the leader loss is rooted at the pod whose own lines carry the lost
 * leader's member ID (`local-member-id` 30c29f1b390a6a04 in etcd-ip-10-0-189-142's log), never at a
 * `pod/kube-system/?` guessed for it; slow requests are counted per member, not lumped.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingestPaths } from '../../../../src/correlate/eval.js';
import { detectIncidents } from '../../../../src/correlate/incidents/index.js';
import { linkObjects } from '../../../../src/correlate/link.js';
import { openStore } from '../../../../src/store/writer.js';
import { join } from 'node:path';
import { corpus, corpusSkip, fixturesDir } from '../../../helpers/paths.js';
import { etcdMemberKey, etcdPodOfLine } from '../../../../src/correlate/incidents/etcd-members.js';
import { mustGatherPaths, unpackMustGather } from '../../../helpers/signal-lines.js';
import { incidents } from './fixture.js';

const NODES = ['ip-10-0-187-218.ec2.internal', 'ip-10-0-189-142.ec2.internal', 'ip-10-0-195-177.ec2.internal'];

test('must-gather: the etcd leader loss names the lost leader pod and the member that won', { skip: corpusSkip() }, async (t) => {
  const entries = NODES.map((n) => mustGatherPaths.etcd.replace('etcd-ip-10-0-195-177.ec2.internal', `etcd-${n}`));
  const mg = unpackMustGather(entries);
  t.after(mg.dispose);
  const store = openStore(':memory:');
  t.after(() => store.close());
  // The unpacked folder, laid out as the must-gather is (namespaces/<ns>/pods/<pod>/...).
  await ingestPaths(store, [mg.paths[0]!.slice(0, -entries[0]!.length)]);
  linkObjects(store.correlation);
  detectIncidents(store);
  const found = incidents(store.db);
  const loss = found.filter((i) => i.kind === 'etcd-leader-loss');
  assert.equal(loss.length, 1, JSON.stringify(found.map((i) => [i.kind, i.details.root.label])));
  const [inc] = loss;
  assert.equal(inc!.details.root.label, 'pod/openshift-etcd/etcd-ip-10-0-189-142.ec2.internal');
  // Facts as the lines state them (two members' "lost leader 30c29f1b390a6a04 at term 8"), and
  // the pod behind the member ID marked as inferred.
  assert.match(inc!.summary, /^etcd leader 30c29f1b390a6a04 \(etcd-ip-10-0-189-142\.ec2\.internal, inferred from the member ID\) lost leadership at term 8; bb9c7099bd31ffff became leader at term 8; reported by 2 members$/);
  const slow = found.filter((i) => i.kind === 'etcd-slow-request').map((i) => i.details.root.label);
  for (const label of slow) assert.match(label, /^pod\/openshift-etcd\/etcd-ip-10-0-\d+-\d+\.ec2\.internal$/);
});

test("etcdMemberKey is etcdPodOfLine's key for every etcd line of real captures and a simulated one", { skip: corpusSkip() }, async (t) => {
  const entries = NODES.map((n) => mustGatherPaths.etcd.replace('etcd-ip-10-0-195-177.ec2.internal', `etcd-${n}`));
  const mg = unpackMustGather(entries);
  t.after(mg.dispose);
  const inputs = [mg.paths[0]!.slice(0, -entries[0]!.length), corpus('kind-1.32-bundle'), corpus('must-gather-etcd-events'), join(fixturesDir, 'sim', 'etcd-leader-loss', 'bundle')];
  const keys = new Set<string>();
  let lines = 0;
  for (const input of inputs) {
    const store = openStore(':memory:');
    t.after(() => store.close());
    await ingestPaths(store, [input]);
    linkObjects(store.correlation);
    const view = store.detection.view(0.5);
    const etcd = store.db.prepare(`SELECT id, host FROM events WHERE component = 'etcd' ORDER BY id`).all() as { id: number; host: string | null }[];
    for (const { id, host } of etcd) {
      const key = etcdMemberKey(view, id, host);
      assert.equal(key, etcdPodOfLine(view, id, host).key, `${input}: event ${id}`);
      keys.add(`${input} ${key}`);
    }
    lines += etcd.length;
  }
  assert.ok(lines > 1000 && keys.size >= 6, `${lines} etcd lines, ${keys.size} members`);
});
