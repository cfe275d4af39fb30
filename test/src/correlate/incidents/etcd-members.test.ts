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

test("an etcd line's own pod is linked as emitter-self, never as the writer etcdPodOfLine would otherwise have to read", { skip: corpusSkip() }, async (t) => {
  const entries = NODES.map((n) => mustGatherPaths.etcd.replace('etcd-ip-10-0-195-177.ec2.internal', `etcd-${n}`));
  const mg = unpackMustGather(entries);
  t.after(mg.dispose);
  const inputs = [mg.paths[0]!.slice(0, -entries[0]!.length), corpus('kind-1.32-bundle'), corpus('must-gather-etcd-events'), join(fixturesDir, 'sim', 'etcd-leader-loss', 'bundle')];
  let lines = 0;
  let selfLinked = 0;
  for (const input of inputs) {
    const store = openStore(':memory:');
    t.after(() => store.close());
    await ingestPaths(store, [input]);
    linkObjects(store.correlation);
    const view = store.detection.view(0.5);
    const etcd = store.db.prepare(`SELECT id FROM events WHERE component = 'etcd' ORDER BY id`).pluck().all() as number[];
    for (const id of etcd) {
      assert.equal(view.writer(id), undefined, `${input}: event ${id} has a writer link`);
      if (view.links(id).some((l) => l.via === 'emitter-self' && l.kind === 'Pod')) selfLinked++;
    }
    lines += etcd.length;
  }
  assert.ok(lines > 1000 && selfLinked > 100, `${lines} etcd lines, ${selfLinked} linked to their own pod`);
});
