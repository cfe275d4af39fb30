/**
 * Two clusters in one store, through the real CLI on real logs: the OpenShift kubelet journal
 * ingested twice, as "east" and "west" (the same pods, UIDs and crash loop in both), and kind's
 * bundle under its own name. Each reader sees one cluster with --cluster and all of them without;
 * nothing links, resolves or gathers evidence across clusters; re-ingest is idempotent per cluster.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpus, corpusSkip, cliPath } from '../../helpers/paths.js';
import { openStore } from '../../../src/store/writer.js';

const cli = cliPath();

function ktrail(...args: string[]): string {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, `ktrail ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const json = <T>(text: string): T => JSON.parse(text) as T;
const lines = (text: string): string[] => text.split('\n').filter(Boolean);

const POD = 'pod/openshift-machine-config-operator/kube-rbac-proxy-crio-ite-ocp-2rk9g-master-0';

test('two clusters in one store stay apart in ingest, incidents, trace, query and counts', { skip: corpusSkip() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-clusters-'));
  const db = join(dir, 'two.db');
  try {
    const journal = corpus('openshift-kubelet-journal');
    type Summary = { ingested: number; skipped: number; events: number };
    const east = json<Summary>(ktrail('ingest', journal, '--db', db, '--cluster', 'east', '--json'));
    const west = json<Summary>(ktrail('ingest', journal, '--db', db, '--cluster', 'west', '--json'));
    assert.ok(east.events > 1000);
    assert.deepEqual([west.ingested, west.events], [east.ingested, east.events], 'the same file under another name is ingested again');
    const again = json<Summary>(ktrail('ingest', journal, '--db', db, '--cluster', 'east', '--json'));
    assert.deepEqual([again.ingested, again.skipped, again.events], [0, 1, 0], 're-ingesting into the same cluster adds nothing');
    // kind's bundle under its own name (no --cluster).
    ktrail('ingest', corpus('kind-1.32-bundle'), '--db', db);

    // incidents: one crash loop (and one network-not-ready) per cluster, each with its own cluster's evidence.
    type Incident = { cluster: string; kind: string; evidence: { eventId: number }[] };
    const all = json<Incident[]>(ktrail('incidents', '--db', db, '-o', 'json')).filter((i) => i.kind === 'crashloop');
    assert.deepEqual(all.map((i) => i.cluster).sort(), ['east', 'west']);
    const onlyWest = json<Incident[]>(ktrail('incidents', '--db', db, '--cluster', 'west', '-o', 'json'));
    // The journal shows a crash loop and 54 minutes without a pod network: both, west's only.
    assert.deepEqual(onlyWest.map((i) => [i.cluster, i.kind]).sort(), [['west', 'crashloop'], ['west', 'network-not-ready']]);
    const store = openStore(db, { readonly: true });
    try {
      for (const i of all) {
        const clusters = new Set(store.events.byIds(i.evidence.map((e) => e.eventId)).map((e) => e.cluster));
        assert.deepEqual([...clusters], [i.cluster], 'evidence from the incident\'s own cluster only');
      }
      // counts per component: each cluster its own, the store their sum.
      const total = (s: { countsByComponent(): { events: number }[] }) => s.countsByComponent().reduce((n, c) => n + c.events, 0);
      const e = store.inCluster('east').events;
      const w = store.inCluster('west').events;
      const k = store.inCluster('kind').events;
      assert.equal(total(e), east.events);
      assert.equal(total(w), east.events);
      assert.equal(total(store.events), total(e) + total(w) + total(k));
      assert.deepEqual(store.sources.clusters(), ['east', 'kind', 'west']);
    } finally {
      store.close();
    }

    // trace: the same pod (same UID) is two objects, one per cluster, each with its own events.
    type Trace = { root: { cluster: string; uid: string }; events: { cluster: string }[] };
    const both = json<Trace[]>(ktrail('trace', POD, '--db', db, '-o', 'json'));
    assert.deepEqual(both.map((t) => t.root.cluster).sort(), ['east', 'west']);
    assert.equal(both[0]!.root.uid, both[1]!.root.uid);
    for (const t of both) assert.deepEqual([...new Set(t.events.map((e) => e.cluster))], [t.root.cluster]);
    const one = json<Trace>(ktrail('trace', POD, '--db', db, '--cluster', 'east', '-o', 'json'));
    assert.equal(one.root.cluster, 'east');
    assert.equal(one.events.length, both[0]!.events.length);

    // query: --cluster and {cluster=...} select the same events; without either, every cluster.
    const count = (...args: string[]) => lines(ktrail('query', ...args, '--db', db, '-o', 'json')).length;
    const kubelet = count('{component="kubelet"}', '--cluster', 'east');
    assert.ok(kubelet > 0);
    assert.equal(count('{component="kubelet", cluster="east"}'), kubelet);
    assert.equal(count('{component="kubelet"} | cluster =~ "east|west"'), 2 * kubelet);
    assert.equal(count('{component="kubelet", cluster="kind"}') + 2 * kubelet, count('{component="kubelet"}'));
    // text: several clusters, so each line names its cluster; one cluster reads as before.
    const several = lines(ktrail('query', '{component="kubelet"}', '--db', db, '--limit', '3'));
    assert.ok(several.every((l) => / (east|west|kind) /.test(l)), several.join('\n'));
    const single = lines(ktrail('query', '{component="kubelet"}', '--db', db, '--cluster', 'east', '--limit', '3'));
    assert.ok(single.every((l) => !/ east /.test(l)), single.join('\n'));
    // A cluster the store does not hold is a usage error naming those it holds, not an empty answer.
    const missing = spawnSync(process.execPath, [cli, 'incidents', '--db', db, '--cluster', 'north'], { encoding: 'utf8' });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no cluster "north" in .*two\.db \(it holds: east, kind, west\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reading bundles without a store: events carry their input\'s cluster, and --cluster filters them', { skip: corpusSkip() }, () => {
  const read = (...args: string[]) => lines(ktrail(...args, '-o', 'json')).map((l) => json<{ cluster?: string }>(l).cluster);
  const both = read(corpus('kind-1.32-bundle'), corpus('openshift-kubelet-journal'));
  assert.deepEqual(new Set(both), new Set(['kind', 'openshift-kubelet-journal']));
  const kind = read(corpus('kind-1.32-bundle'), corpus('openshift-kubelet-journal'), '--cluster', 'kind');
  assert.equal(kind.length, both.filter((c) => c === 'kind').length);
  assert.deepEqual(new Set(kind), new Set(['kind']));
  // A file given by name has no cluster: its JSON has none, and its text lines are as before.
  const file = corpus('openshift-kubelet-journal', 'kubelet_230525.log');
  assert.deepEqual(new Set(read(file)), new Set([undefined]));
});
