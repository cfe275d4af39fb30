/**
 * The simulated cluster's contract: determinism, truth consistency, the kind bundle layout,
 * each scenario's characteristic lines, CRI P splits and gzip rotations.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runSimulation } from '../../../src/sim/index.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { cleanup, linesOf, load, sim, tempDir, walk, type Run } from './helpers.js';

after(cleanup);

function digest(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of walk(dir)) m.set(f.slice(dir.length), createHash('sha256').update(readFileSync(f)).digest('hex'));
  return m;
}

test('the same seed gives byte-identical output; another seed does not', async () => {
  const opts = { scenario: 'image-pull-backoff', seed: 7, durationSec: 200, scale: 0.2, containerLogMaxSize: 48 * 1024, skewMs: 300 };
  const a = tempDir('ktrail-sim-a-');
  const b = tempDir('ktrail-sim-b-');
  const c = tempDir('ktrail-sim-c-');
  const ra = await runSimulation({ ...opts, out: a });
  const rb = await runSimulation({ ...opts, out: b });
  await runSimulation({ ...opts, seed: 8, out: c });
  assert.deepEqual(ra, rb);
  const da = digest(a);
  const db = digest(b);
  assert.ok([...da.keys()].some((f) => f.endsWith('.gz')), 'the run has gzip rotations to compare');
  assert.deepEqual([...da.entries()], [...db.entries()]);
  const dc = digest(c);
  assert.notDeepEqual([...da.values()].sort(), [...dc.values()].sort());
});

function checkTruth(run: Run): void {
  const uids = new Set(run.objects.map((o) => o.uid));
  for (const t of run.truth) for (const u of t.objects) assert.ok(uids.has(u), `${t.file}:${t.line} names unknown uid ${u}`);
  for (const o of run.objects) for (const ow of o.owners) assert.ok(uids.has(ow), `owner ${ow} of ${o.kind} ${o.name} is an object`);
  const byIncident = new Map<string, number>();
  for (const t of run.truth) if (t.incident) byIncident.set(t.incident, (byIncident.get(t.incident) ?? 0) + 1);
  for (const inc of run.incidents) {
    assert.ok((byIncident.get(inc.id) ?? 0) > 0, `incident ${inc.id} has lines`);
    assert.ok(uids.has(inc.root), `incident ${inc.id} root ${inc.root} is an object`);
    assert.ok(inc.components.length > 0);
  }
  for (const id of byIncident.keys()) assert.ok(run.incidents.some((i) => i.id === id), `lines name a declared incident (${id})`);
  // Line counts: truth has one record per physical line of every log file (containers/ twins excluded).
  const counts = new Map<string, number>();
  let prev = '';
  let expect = 1;
  for (const t of run.truth) {
    if (t.file !== prev) {
      prev = t.file;
      expect = 1;
    }
    assert.equal(t.line, expect++, `${t.file} numbers its lines from 1`);
    counts.set(t.file, (counts.get(t.file) ?? 0) + 1);
  }
  for (const f of run.files) {
    if (f.includes('/containers/') || f.endsWith('.txt')) continue;
    const n = run.text(f).split('\n').length - 1;
    assert.equal(counts.get(f) ?? 0, n, `truth line count of ${f}`);
  }
  assert.equal(run.truth.length, run.result.lines);
}

test('truth is consistent with the bundle (objects, incidents, line counts)', async () => {
  for (const scenario of ['node-not-ready', 'mixed']) checkTruth(await sim({ scenario, seed: 3 }));
});

test('the bundle has the corpus kind bundle layout, pods/ and containers/ twins byte-identical', { skip: corpusSkip() }, async () => {
  const run = await sim({ scenario: 'healthy-rollout', seed: 1 });
  const real = corpus('kind-1.32-bundle', 'kind-control-plane');
  const realEntries = readdirSync(real).filter((e) => ['containers', 'pods', 'kubelet.log', 'journal.log', 'containerd.log', 'kubernetes-version.txt'].includes(e));
  assert.equal(realEntries.length, 6, 'the corpus node folder has what we mirror');
  assert.ok(run.files.includes('kind-version.txt'));
  const nodes = readdirSync(run.bundle).filter((e) => statSync(join(run.bundle, e)).isDirectory());
  assert.deepEqual(nodes, ['kind-control-plane', 'kind-worker', 'kind-worker2']);
  for (const n of nodes) for (const e of realEntries) assert.ok(readdirSync(join(run.bundle, n)).includes(e), `${n}/${e}`);
  assert.equal(readFileSync(join(run.bundle, 'kind-control-plane', 'kubernetes-version.txt'), 'utf8'), readFileSync(join(real, 'kubernetes-version.txt'), 'utf8'));
  // Same name shapes as the corpus: pods/<ns>_<pod>_<uid>/<container>/<n>.log, containers/<pod>_<ns>_<container>-<64hex>.log.
  const podDir = /^[^/]+\/pods\/([a-z0-9-]+)_([a-z0-9.-]+)_([0-9a-f]{32}|[0-9a-f-]{36})\/([a-z0-9-]+)\/(\d+)\.log(\.\d{8}-\d{6}(\.gz)?)?$/;
  const containerFile = /^[^/]+\/containers\/([a-z0-9.-]+)_([a-z0-9-]+)_([a-z0-9-]+)-([0-9a-f]{64})\.log$/;
  for (const real of readdirSync(corpus('kind-1.32-bundle', 'kind-control-plane', 'containers'))) assert.match(`n/containers/${real}`, containerFile);
  const pods = run.files.filter((f) => f.includes('/pods/'));
  const twins = run.files.filter((f) => f.includes('/containers/'));
  assert.ok(pods.length >= 8 && twins.length >= 8);
  for (const f of pods) assert.match(f, podDir);
  for (const f of twins) {
    const m = containerFile.exec(f)!;
    assert.ok(m, f);
    const [, pod, ns, container] = m;
    const node = f.split('/')[0];
    const twin = pods.find((p) => p.startsWith(`${node}/pods/${ns}_${pod}_`) && p.includes(`/${container}/`) && p.endsWith('.log'));
    assert.ok(twin, `pods/ twin of ${f}`);
    assert.equal(readFileSync(join(run.bundle, f), 'utf8'), readFileSync(join(run.bundle, twin), 'utf8'), `${f} equals ${twin}`);
  }
  // Static pods carry 32-hex UIDs, API pods v4 UUIDs.
  assert.ok(pods.some((p) => /_etcd-kind-control-plane_[0-9a-f]{32}\//.test(p)));
  assert.ok(pods.some((p) => /_kube-proxy-[a-z0-9]{5}_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\//.test(p)));
  // journal.log holds systemd, containerd and kubelet; kubelet.log only kubelet's unit.
  const idents = new Set(linesOf(run, /^kind-worker\/journal\.log$/).map((l) => l.split(' ')[4]!.replace(/\[\d+\]:$/, '')));
  assert.deepEqual([...idents].sort(), ['containerd', 'kubelet', 'systemd', 'systemd-journald']);
  for (const l of linesOf(run, /kubelet\.log$/)) assert.match(l, /^[A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} kind-[a-z0-9-]+ (kubelet\[\d+\]|systemd\[1\]): /);
  for (const l of linesOf(run, /kubelet\.log$/).filter((x) => x.includes(' systemd[1]: '))) assert.match(l, /kubelet\.service/);
  checkTruth(run);
});

test('healthy-rollout rolls the Deployment to a new image with no incident', async () => {
  const run = await sim({ scenario: 'healthy-rollout', seed: 1 });
  assert.deepEqual(run.incidents, []);
  const cm = linesOf(run, /kube-controller-manager\/0\.log$/);
  assert.ok(cm.some((l) => /"Event occurred" object="default\/web" .*reason="ScalingReplicaSet" message="Scaled up replica set web-[a-z0-9]+ from 0 to 1"/.test(l)));
  assert.ok(cm.some((l) => /message="Scaled down replica set web-[a-z0-9]+ from 3 to 2"/.test(l)));
  assert.ok(linesOf(run, /kubelet\.log$/).some((l) => l.includes('"Killing container with a grace period"')));
  assert.ok(run.text('events.json').includes('"message": "Successfully pulled image \\"nginx:1.27.4\\"'));
});

interface K8sEvent {
  reason: string;
  type: string;
  message: string;
  count: number;
  involvedObject: { kind: string; name: string; uid: string };
}

function events(run: Run): K8sEvent[] {
  const list = JSON.parse(run.text('events.json')) as { kind: string; items: K8sEvent[] };
  assert.equal(list.kind, 'List');
  return list.items;
}

test('image-pull-backoff: kubelet back-off lines and an ImagePullBackOff Warning event', async () => {
  const run = await sim({ scenario: 'image-pull-backoff', seed: 2 });
  const kubelet = linesOf(run, /kubelet\.log$/);
  assert.ok(kubelet.some((l) => l.includes('with ImagePullBackOff: \\"Back-off pulling image \\\\\\"nginx:1.27.99\\\\\\"\\""')));
  assert.ok(kubelet.some((l) => l.includes('"PullImage from image service failed"') && l.includes('docker.io/library/nginx:1.27.99: not found')));
  const ev = events(run);
  const backoff = ev.find((e) => e.type === 'Warning' && e.message === 'Error: ImagePullBackOff');
  assert.ok(backoff && backoff.count > 1, 'repeated ImagePullBackOff Warning');
  assert.ok(ev.some((e) => e.reason === 'BackOff' && e.message === 'Back-off pulling image "nginx:1.27.99"'));
  assert.equal(run.incidents[0]!.kind, 'image-pull-backoff');
  assert.equal(run.objects.find((o) => o.uid === run.incidents[0]!.root)!.kind, 'Pod');
});

test('crashloop: container exits, CrashLoopBackOff back-off, BackOff events', async () => {
  const run = await sim({ scenario: 'crashloop', seed: 2 });
  const kubelet = linesOf(run, /kubelet\.log$/);
  assert.ok(kubelet.some((l) => /"Generic \(PLEG\): container finished" podID="[0-9a-f-]{36}" containerID="[0-9a-f]{64}" exitCode=1$/.test(l)));
  assert.ok(kubelet.some((l) => l.includes('with CrashLoopBackOff: \\"back-off 20s restarting failed container=checkout pod=checkout-')));
  assert.ok(events(run).some((e) => e.reason === 'BackOff' && e.type === 'Warning' && e.message.startsWith('Back-off restarting failed container checkout in pod checkout-')));
  // Each restart writes a new <n>.log for the container (no app logs, but kube-system pods have them).
  assert.ok(linesOf(run, /containerd\.log$/).some((l) => l.includes('received exit event') && l.includes('exit_status:1 ')));
});

test('unschedulable: the scheduler reports no fit, FailedScheduling Warning events repeat', async () => {
  for (const seed of [2, 5]) {
    const run = await sim({ scenario: 'unschedulable', seed });
    const sched = linesOf(run, /kube-scheduler\/0\.log$/).filter((l) => l.includes('"Unable to schedule pod; no fit; waiting" pod="batch/report-'));
    assert.ok(sched.length >= 3);
    assert.match(
      sched[0]!,
      /err="0\/3 nodes are available: 1 node\(s\) had untolerated taint \{node-role.kubernetes.io\/control-plane: \}, (2 Insufficient cpu\. preemption: 0\/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod\.|2 node\(s\) had untolerated taint \{dedicated: gpu\}\. preemption: 0\/3 nodes are available: 3 Preemption is not helpful for scheduling\.)"$/,
    );
    const ev = events(run).filter((e) => e.reason === 'FailedScheduling' && e.type === 'Warning');
    assert.ok(ev.length >= 1 && ev.some((e) => e.count > 1));
  }
});

test('node-not-ready: kubelet stops, the node goes NotReady, pods are evicted and rescheduled', async () => {
  const run = await sim({ scenario: 'node-not-ready', seed: 3 });
  const victim = 'kind-worker2';
  assert.ok(linesOf(run, new RegExp(`^${victim}/kubelet\\.log$`)).some((l) => l.endsWith('Stopped kubelet.service - kubelet: The Kubernetes Node Agent.')));
  const cm = linesOf(run, /kube-controller-manager\/0\.log$/);
  assert.ok(cm.some((l) => l.includes(`"Node hasn't been updated" logger="node-lifecycle-controller" node="${victim}"`)));
  assert.ok(cm.some((l) => l.includes('"Deleting pod" logger="taint-eviction-controller"')));
  const ev = events(run);
  assert.ok(ev.some((e) => e.reason === 'NodeNotReady' && e.involvedObject.kind === 'Node' && e.message === `Node ${victim} status is now: NodeNotReady`));
  assert.ok(ev.some((e) => e.reason === 'TaintManagerEviction'));
  const inc = run.incidents[0]!;
  const boundAfter = linesOf(run, /kube-scheduler\/0\.log$/).filter((l) => l.includes('"Successfully bound pod to node"') && l.includes('node="kind-worker"') && / (I\d{4} \d\d:\d\d:\d\d)/.exec(l)![1]! > `I${inc.start.slice(5, 7)}${inc.start.slice(8, 10)} ${inc.start.slice(11, 19)}`);
  assert.ok(boundAfter.length >= 1, 'replacement pods land on the healthy worker');
});

test('etcd-leader-loss: a new leader at a higher term, failing and slow requests', async () => {
  const run = await sim({ scenario: 'etcd-leader-loss', seed: 4 });
  const etcd = linesOf(run, /\/etcd\/0\.log$/);
  assert.ok(etcd.some((l) => /"msg":"[0-9a-f]+ became leader at term 3"/.test(l)));
  assert.ok(etcd.some((l) => /"msg":"raft.node: [0-9a-f]+ lost leader [0-9a-f]+ at term 3"/.test(l)));
  assert.ok(etcd.some((l) => l.includes('"msg":"leader failed to send out heartbeat on time; took too long, leader is overloaded likely from slow disk"')));
  assert.ok(etcd.some((l) => l.includes('"msg":"apply request took too long"')));
  const api = linesOf(run, /kube-apiserver\/0\.log$/);
  assert.ok(api.some((l) => l.includes('etcdserver: leader changed')));
  assert.ok(api.some((l) => / F Trace\[\d+\]: ---"/.test(l)) && api.some((l) => /\] Trace\[\d+\]: "\w+" .*\(total time: \d+ms\):$/.test(l)));
  assert.ok(api.some((l) => / resp=50[04]$/.test(l)));
  assert.ok(linesOf(run, /kube-(controller-manager|scheduler)\/0\.log$/).some((l) => l.includes('error retrieving resource lock') && l.includes('context deadline exceeded')));
  assert.equal(run.objects.find((o) => o.uid === run.incidents[0]!.root)!.name, 'etcd-kind-control-plane');
});

test('dns-failure: upstream timeouts with SERVFAIL, NXDOMAIN for a misspelled service', async () => {
  const run = await sim({ scenario: 'dns-failure', seed: 5 });
  const dns = linesOf(run, /coredns\/0\.log$/);
  assert.ok(dns.some((l) => / stdout F \[ERROR\] plugin\/errors: 2 [a-z0-9.-]+\. (A|AAAA): read udp 10\.244\.\d+\.\d+:\d+->172\.19\.0\.1:53: i\/o timeout$/.test(l)));
  assert.ok(dns.some((l) => / SERVFAIL qr,rd \d+ 2\.\d+s$/.test(l)));
  assert.ok(dns.some((l) => l.includes('"A IN chekout.shop.svc.cluster.local. udp') && l.includes('" NXDOMAIN qr,aa,rd ')));
  assert.deepEqual(run.incidents.map((i) => i.kind), ['dns-upstream-timeout', 'dns-nxdomain']);
});

test('service-no-endpoints: readiness fails, endpoints empty out, kube-proxy resyncs with a reject rule', async () => {
  const run = await sim({ scenario: 'service-no-endpoints', seed: 6 });
  const inc = run.incidents[0]!;
  const kubelet = linesOf(run, /kubelet\.log$/);
  assert.ok(kubelet.some((l) => l.includes('"Probe failed" probeType="Readiness" pod="shop/cache-') && l.includes('output="dial tcp 10.244.')));
  assert.ok(kubelet.some((l) => l.includes('"SyncLoop (probe)" probe="readiness" status="not ready" pod="shop/cache-')));
  assert.ok(events(run).some((e) => e.reason === 'Unhealthy' && e.message.startsWith('Readiness probe failed: dial tcp ')));
  const proxyTruth = run.truth.filter((t) => t.incident === inc.id && t.file.includes('/kube-proxy/'));
  assert.ok(proxyTruth.length >= 3, 'kube-proxy resyncs are part of the incident');
  const reloads = linesOf(run, /kube-proxy\/0\.log$/).filter((l) => l.includes('"Reloading service iptables data"'));
  assert.ok(reloads.some((l) => l.includes('numFilterRules=5')), 'a REJECT rule for the service without endpoints');
  assert.equal(run.objects.find((o) => o.uid === inc.root)!.kind, 'Service');
});

test('mixed: several incidents on a busy HA cluster, each with lines', async () => {
  const run = await sim({ scenario: 'mixed', seed: 3 });
  assert.ok(run.incidents.length >= 8);
  assert.ok(run.incidents.some((i) => i.kind === 'oom-kill'));
  assert.ok(linesOf(run, /kubelet\.log$/).some((l) => / exitCode=137$/.test(l)));
  assert.ok(run.files.some((f) => f.startsWith('kind-control-plane3/pods/kube-system_etcd-kind-control-plane3_')));
});

test('lines over 16 KiB are split into CRI P records that join back into one klog line', async () => {
  const run = await sim({ scenario: 'healthy-rollout', seed: 1 });
  const api = linesOf(run, /kube-apiserver\/0\.log$/);
  const start = api.findIndex((l) => / stderr P /.test(l));
  assert.ok(start >= 0, 'a P record');
  let joined = '';
  let i = start;
  for (; / stderr P /.test(api[i]!); i++) {
    const payload = api[i]!.replace(/^\S+ stderr P /, '');
    assert.equal(Buffer.byteLength(payload), 16384);
    joined += payload;
  }
  assert.match(api[i]!, / stderr F /);
  joined += api[i]!.replace(/^\S+ stderr F /, '');
  assert.ok(joined.length > 16384);
  assert.match(joined, /^I\d{4} [\d:.]+ +1 httplog\.go:\d+\] "HTTP" verb="LIST" URI="\/api\/v1\/pods\?labelSelector=app\.kubernetes\.io%2Finstance%20in%20\(.*" resp=200$/);
});

test('rotated container logs: the newest plain, older ones gzip with a fixed mtime, all with truth', async () => {
  const dir = tempDir('ktrail-sim-rot-');
  const result = await runSimulation({ scenario: 'healthy-rollout', seed: 9, out: dir, durationSec: 240, scale: 1, containerLogMaxSize: 64 * 1024, containerLogMaxFiles: 4 });
  const run = load(dir, result);
  const api = run.files.filter((f) => f.includes('/kube-apiserver/'));
  const gz = api.filter((f) => /\/0\.log\.\d{8}-\d{6}\.gz$/.test(f));
  const plain = api.filter((f) => /\/0\.log\.\d{8}-\d{6}$/.test(f));
  assert.ok(gz.length >= 1 && gz.length <= 2, `gz rotations: ${gz.join(', ')}`);
  assert.equal(plain.length, 1);
  assert.ok(api.some((f) => f.endsWith('/0.log')));
  for (const f of gz) {
    const buf = readFileSync(join(run.bundle, f));
    assert.equal(buf[0], 0x1f);
    assert.notEqual(buf.readUInt32LE(4), 0, 'gzip header carries the rotation time');
    const text = gunzipSync(buf).toString('utf8');
    assert.match(text, /^\d{4}-\d\d-\d\dT[\d:.]+Z stderr [PF] /);
  }
  // The containers/ twin mirrors only the current 0.log.
  const twin = run.files.find((f) => f.includes('/containers/kube-apiserver-'))!;
  assert.equal(run.text(twin), run.text(api.find((f) => f.endsWith('/0.log'))!));
  checkTruth(run);
});

test('k8sVersion 1.20 writes etcd 3.4 capnslog, raft lines and unstructured kubelet lines', async () => {
  const run = await sim({ scenario: 'crashloop', seed: 2, k8sVersion: '1.20' });
  const etcd = linesOf(run, /\/etcd\/0\.log$/);
  assert.ok(etcd.some((l) => / stderr F raft\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d INFO: [0-9a-f]+ became leader at term 2$/.test(l)));
  assert.ok(etcd.some((l) => / stderr F \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} I \| etcdserver: published \{Name:kind-control-plane ClientURLs:\[https:\/\/172\.19\.0\.2:2379\]\} to cluster [0-9a-f]+$/.test(l)));
  assert.ok(!etcd.some((l) => l.includes('{"level"')));
  const kubelet = linesOf(run, /kubelet\.log$/);
  assert.ok(kubelet.some((l) => /\] SyncLoop \(ADD, "api"\): "web-[a-z0-9]+-[a-z0-9]{5}_default\([0-9a-f-]{36}\)"$/.test(l)));
  assert.ok(kubelet.some((l) => /\] Error syncing pod [0-9a-f-]{36} \("checkout-.*"\), skipping: failed to "StartContainer" for "checkout" with CrashLoopBackOff/.test(l)));
  assert.ok(kubelet.some((l) => l.includes('"Kubelet version" kubeletVersion="v1.20.15"')), 'structured lines remain (1.20 mixes both)');
  const proxy = linesOf(run, /kube-proxy\/0\.log$/);
  assert.ok(proxy.some((l) => / proxier\.go:\d+\] Syncing iptables rules$/.test(l)));
  assert.ok(proxy.some((l) => / proxier\.go:\d+\] syncProxyRules took [\d.]+m?s$/.test(l)));
  assert.equal(run.text('kind-control-plane/kubernetes-version.txt'), 'v1.20.15');
});

test('loggingFormat json switches the klog components to klog JSON', async () => {
  const run = await sim({ scenario: 'etcd-leader-loss', seed: 4, loggingFormat: 'json' });
  for (const re of [/kube-apiserver\/0\.log$/, /kube-scheduler\/0\.log$/, /kube-controller-manager\/0\.log$/, /kube-proxy\/0\.log$/]) {
    const lines = linesOf(run, re);
    assert.ok(lines.length > 0);
    let continued = false;
    for (const l of lines) {
      const partial = / stderr P /.test(l);
      // The first record of a P..F run starts the JSON object; the rest continue it.
      if (!continued) assert.match(l.replace(/^\S+ stderr [PF] /, ''), /^\{"ts":\d{13}(\.\d{1,3})?,"caller":"[a-z0-9_-]+\/[a-z0-9_]+\.go:\d+","msg":/);
      continued = partial;
    }
  }
  const kubelet = linesOf(run, /kind-worker\/kubelet\.log$/).filter((l) => l.includes(' kubelet['));
  const payloads = kubelet.map((l) => l.slice(l.indexOf(']: ') + 3)).filter((p) => !p.startsWith('Flag --'));
  for (const p of payloads) {
    const o = JSON.parse(p) as Record<string, unknown>;
    assert.equal(typeof o.ts, 'number');
    assert.equal(typeof o.msg, 'string');
  }
  // A trace block becomes one JSON record whose msg holds the block's lines.
  assert.ok(linesOf(run, /kube-apiserver\/0\.log$/).some((l) => /"msg":"Trace\[\d+\]: \\".*\(total time: \d+ms\):\\nTrace\[\d+\]: ---\\"/.test(l)));
  // The etcd log stays zap JSON.
  assert.ok(linesOf(run, /\/etcd\/0\.log$/).every((l) => l.includes(' F {"level":"')));
});

test('committed fixtures are what make-fixtures writes today, small and consistent', async () => {
  const { FIXTURES, makeFixtures } = await import('../../../src/sim/make-fixtures.js');
  const { fixturesDir } = await import('../../helpers/paths.js');
  const committed = join(fixturesDir, 'sim');
  const fresh = tempDir('ktrail-sim-fixtures-');
  const made = await makeFixtures(fresh);
  for (const f of FIXTURES) {
    const a = digest(join(committed, f.name));
    const b = digest(join(fresh, f.name));
    assert.deepEqual([...a.entries()], [...b.entries()], `fixtures/sim/${f.name} is stale: run node dist/src/sim/make-fixtures.js`);
    const bundleBytes = walk(join(committed, f.name, 'bundle')).reduce((n, p) => n + statSync(p).size, 0);
    assert.ok(bundleBytes < 1_000_000, `${f.name} bundle is ${bundleBytes} bytes`);
    checkTruth(load(join(committed, f.name), made.find((m) => m.name === f.name)!));
  }
  for (const s of ['healthy-rollout', 'image-pull-backoff', 'crashloop', 'unschedulable', 'node-not-ready', 'etcd-leader-loss', 'dns-failure', 'service-no-endpoints', 'mixed']) {
    assert.ok(FIXTURES.some((f) => f.name === s), `a fixture for ${s}`);
  }
});
