/**
 * The scenarios of src/sim/faults.ts: each writes the lines its fault shows, in the real forms, and
 * ktrail, reading the bundle, finds the incident its truth names, with the facts the lines state in
 * its summary and the proving line first in its evidence.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestPaths } from '../../../src/correlate/ingest-paths.js';
import { detectIncidents } from '../../../src/correlate/incidents/index.js';
import { linkObjects } from '../../../src/correlate/link.js';
import type { EvidenceRow, IncidentRecord } from '../../../src/store/store.js';
import { openStore } from '../../../src/store/writer.js';
import { cleanup, sim, type Run } from './helpers.js';

after(cleanup);

interface Found {
  incident: IncidentRecord;
  evidence: EvidenceRow[];
}

/** What ktrail finds in a run's bundle: the incidents of a kind, with their evidence in rank order. */
async function found(run: Run, kind: string): Promise<Found[]> {
  const store = openStore(':memory:');
  try {
    await ingestPaths(store, [run.bundle]);
    linkObjects(store.correlation);
    detectIncidents(store);
    return store.incidents
      .list()
      .filter((i) => i.kind === kind)
      .map((incident) => ({ incident, evidence: store.incidents.evidence(incident.id) }));
  } finally {
    store.close();
  }
}

/** The one truth incident of a kind, with the lines tagged with it. */
function truthOf(run: Run, kind: string): { root: Run['objects'][number]; lines: number } {
  const inc = run.incidents.filter((i) => i.kind === kind);
  assert.equal(inc.length, 1, `one ${kind} in the truth`);
  const root = run.objects.find((o) => o.uid === inc[0]!.root);
  assert.ok(root, `the root of ${kind} is a truth object`);
  return { root, lines: run.truth.filter((t) => t.incident === inc[0]!.id).length };
}

/** The non-empty lines of one file of the bundle. */
function lines(run: Run, file: string): string[] {
  return run.text(file).split('\n').filter((l) => l.length > 0);
}

function grep(run: Run, file: string, re: RegExp): string[] {
  return lines(run, file).filter((l) => re.test(l));
}

function fileOf(run: Run, re: RegExp): string {
  const f = run.files.find((x) => re.test(x));
  assert.ok(f, `a file matching ${re}`);
  return f;
}

test('volume-mount-failure: the kubelet retries the missing secret with its back-off and gives up every 2 min', async () => {
  const run = await sim({ scenario: 'volume-mount-failure', seed: 1, durationSec: 600 });
  const { root } = truthOf(run, 'volume-mount-failure');
  assert.equal(root.kind, 'Pod');
  const kubelet = run.files.filter((f) => f.endsWith('/kubelet.log')).find((f) => grep(run, f, /nestedpendingoperations/).length > 0)!;
  const ops = grep(run, kubelet, /nestedpendingoperations\.go:\d+\] Operation for "\{volumeName:kubernetes\.io\/secret\//);
  assert.deepEqual(
    ops.slice(0, 4).map((l) => /durationBeforeRetry ([^)]+)\)/.exec(l)![1]),
    ['500ms', '1s', '2s', '4s'],
  );
  assert.ok(ops.every((l) => l.includes(`pod \\"${root.name}\\" (UID: \\"${root.uid}\\") : secret \\"checkout-tls\\" not found`)));
  assert.ok(grep(run, kubelet, /"Unable to attach or mount volumes for pod; skipping pod" err="unmounted volumes=\[tls\]/).length >= 2);
  // No sandbox for the pod: it never starts.
  assert.deepEqual(grep(run, kubelet, new RegExp(`No sandbox for pod can be found.*${root.name}`)), []);
  const [f, ...more] = await found(run, 'volume-mount-failure');
  assert.ok(f && more.length === 0, 'one incident');
  assert.equal(f.incident.root?.uid, root.uid);
  assert.match(f.incident.summary, /volume "tls" could not be mounted for \d+ min \(\d+ failures\): secret "checkout-tls" not found/);
  assert.match(f.evidence[0]!.message, /MountVolume\.SetUp failed for volume/);
});

test('admission-webhook-failure: a failing-closed webhook refuses three requests, answered 500', async () => {
  const run = await sim({ scenario: 'admission-webhook-failure', seed: 2 });
  const { root } = truthOf(run, 'admission-webhook-failure');
  assert.deepEqual([root.kind, root.name], ['Webhook', 'validate.kyverno.svc-fail']);
  const apiserver = fileOf(run, /pods\/kube-system_kube-apiserver-[^/]+\/kube-apiserver\/0\.log$/);
  const refused = grep(run, apiserver, /dispatcher\.go:\d+\] Failed calling webhook, failing closed validate\.kyverno\.svc-fail: failed calling webhook "validate\.kyverno\.svc-fail": failed to call webhook: Post "https:\/\/kyverno-svc\.kyverno\.svc:443\/validate\/fail\?timeout=10s": dial tcp [\d.]+:443: connect: connection refused$/);
  assert.equal(refused.length, 3);
  const audit = grep(run, fileOf(run, /audit\/audit\.log$/), /"resource":"deployments"/).filter((l) => l.includes('"code":500'));
  assert.equal(audit.length, 3);
  const [f] = await found(run, 'admission-webhook-failure');
  assert.ok(f);
  assert.equal(f.incident.details.root?.name, 'validate.kyverno.svc-fail');
  assert.match(f.incident.summary, /^admission webhook validate\.kyverno\.svc-fail could not be called 3 times in \d+ min, 3 failing closed \(those requests were refused\): Post "https:\/\/kyverno-svc/);
  // Three refusals over minutes are not also an apiserver answering 5xx in bulk.
  assert.deepEqual(await found(run, 'apiserver-5xx'), []);
});

for (const k8sVersion of ['1.32', '1.20'] as const) {
  test(`tls-failure (${k8sVersion}): kubectl logs meets a kubelet's expired certificate`, async () => {
    const run = await sim({ scenario: 'tls-failure', seed: 1, k8sVersion });
    const { root } = truthOf(run, 'tls-failure');
    assert.equal(root.kind, 'Host');
    assert.match(root.name, /^172\.19\.0\.\d+:10250$/);
    const apiserver = fileOf(run, /pods\/kube-system_kube-apiserver-[^/]+\/kube-apiserver\/0\.log$/);
    const x509 = grep(run, apiserver, /x509: certificate has expired or is not yet valid: current time \S+ is after \S+/);
    assert.equal(x509.length, 3);
    if (k8sVersion === '1.32') assert.ok(x509.every((l) => l.includes('status.go:71] "Unhandled Error" err="apiserver received an error that is not an metav1.Status: &url.Error{Op:\\"Get\\", URL:\\"https://' + root.name)));
    else assert.ok(x509.every((l) => l.includes('status.go:71] apiserver received an error that is not an metav1.Status: &url.Error{Op:"Get", URL:"https://' + root.name)));
    const worker = run.files.find((f) => f.endsWith('/kubelet.log') && grep(run, f, /http: TLS handshake error from 172\.19\.0\.\d+:\d+: remote error: tls: bad certificate/).length === 3);
    assert.ok(worker, "the worker's kubelet sees each handshake refused");
    const [f] = await found(run, 'tls-failure');
    assert.ok(f);
    assert.equal(f.incident.details.root?.name, root.name);
    assert.match(f.incident.summary, new RegExp(`^3 TLS connections to ${root.name.replace(/\./g, '\\.')} refused in .*x509: certificate has expired .*\\(inferred: the certificate was not rotated in time\\)$`));
  });
}

for (const [k8sVersion, exitCode] of [['1.32', 1], ['1.20', 255]] as const) {
  test(`leader-election-lost (${k8sVersion}): the controller-manager loses its lease, exits ${exitCode}, is restarted and leads again`, async () => {
    const run = await sim({ scenario: 'leader-election-lost', seed: 3, k8sVersion });
    const { root } = truthOf(run, 'leader-election-lost');
    assert.equal(root.kind, 'Pod');
    assert.match(root.name, /^kube-controller-manager-/);
    const first = fileOf(run, /pods\/kube-system_kube-controller-manager-[^/]+\/kube-controller-manager\/0\.log$/);
    const text = lines(run, first);
    const renew = text.findIndex((l) => /leaderelection\.go:\d+\] failed to renew lease kube-system\/kube-controller-manager: /.test(l));
    assert.ok(renew > 0);
    assert.match(text[renew + 1]!, k8sVersion === '1.32' ? /^\S+ stderr F E\d{4} [\d:.]+ +1 controllermanager\.go:\d+\] "leaderelection lost"$/ : /^\S+ stderr F F\d{4} [\d:.]+ +1 controllermanager\.go:\d+\] leaderelection lost$/);
    assert.equal(text.length, renew + 2, 'the last lines before it exits');
    const second = lines(run, first.replace(/0\.log$/, '1.log'));
    assert.ok(second.some((l) => l.includes('successfully acquired lease kube-system/kube-controller-manager')), 'the restarted one leads again');
    assert.ok(run.files.some((f) => f.endsWith('/kubelet.log') && grep(run, f, new RegExp(`container finished.*exitCode=${exitCode}`)).length === 1));
    const [f, ...more] = await found(run, 'leader-election-lost');
    assert.ok(f && more.length === 0);
    assert.equal(f.incident.root?.uid, root.uid);
    assert.match(f.incident.summary, new RegExp(`failed to renew lease kube-system/kube-controller-manager: .*; the container exited with exitCode=${exitCode}$`));
  });
}

test('apiserver-etcd-unreachable: a systemd-run apiserver without etcd exits 255 five times, then systemd gives up', async () => {
  const run = await sim({ scenario: 'apiserver-etcd-unreachable', seed: 1 });
  const { root } = truthOf(run, 'apiserver-etcd-unreachable');
  assert.deepEqual([root.kind, root.name], ['Component', 'kube-apiserver']);
  const node = truthOf(run, 'control-plane-crashloop').root;
  const journal = fileOf(run, new RegExp(`^${node.name}/journal\\.log$`));
  const systemd = grep(run, journal, / systemd\[1\]: (Started|Stopped|Failed to start) kube-apiserver|kube-apiserver\.service: /).map((l) => l.replace(/^.*systemd\[1\]: /, ''));
  const exits = systemd.filter((l) => l === 'kube-apiserver.service: Main process exited, code=exited, status=255/EXCEPTION');
  assert.equal(exits.length, 5);
  assert.deepEqual(
    systemd.filter((l) => l.includes('restart counter')).map((l) => /at (\d+)\./.exec(l)![1]),
    ['1', '2', '3', '4', '5'],
  );
  assert.deepEqual(systemd.slice(-3), [
    'kube-apiserver.service: Start request repeated too quickly.',
    "kube-apiserver.service: Failed with result 'exit-code'.",
    'Failed to start kube-apiserver.service - Kubernetes API Server.',
  ]);
  // Each run of the binary ends on its fatal line, just before systemd sees it exit.
  const apiserver = grep(run, journal, / kube-apiserver\[\d+\]: /);
  assert.ok(apiserver.filter((l) => l.includes('cacher.go:260] unexpected ListAndWatch error: pkg/storage/cacher.go:201: Failed to list ')).length >= 10);
  assert.equal(apiserver.filter((l) => /: F\d{4} .*Unable to perform initial IP allocation check: unable to refresh the service IP block: client: etcd cluster is unavailable or misconfigured; error #0: dial tcp 127\.0\.0\.1:2379: getsockopt: connection refused$/.test(l)).length, 5);
  const [u] = await found(run, 'apiserver-etcd-unreachable');
  assert.ok(u);
  assert.match(u.incident.summary, new RegExp(`^the apiserver on ${node.name} could not reach etcd at 127\\.0\\.0\\.1:2379 for \\d+ min \\(\\d+ failures\\): dial tcp 127\\.0\\.0\\.1:2379: getsockopt: connection refused`));
  const [c] = await found(run, 'control-plane-crashloop');
  assert.ok(c);
  assert.equal(c.incident.root?.uid, node.uid);
  assert.match(c.incident.summary, new RegExp(`^kube-apiserver\\.service on ${node.name} exited 5 times with status 255/EXCEPTION in \\d+ s, systemd restart counter at 5; systemd gave up \\(start request repeated too quickly\\); last fatal line: Unable to perform initial IP allocation check`));
  assert.match(c.evidence[0]!.message, /Main process exited, code=exited, status=255\/EXCEPTION/);
});

test('eviction-churn: the descheduler evicts one of web\'s pods a minute, the ReplicaSet replaces each', async () => {
  const run = await sim({ scenario: 'eviction-churn', seed: 2 });
  const { root } = truthOf(run, 'eviction-churn');
  assert.deepEqual([root.kind, root.name], ['Deployment', 'web']);
  const evictions = grep(run, fileOf(run, /audit\/audit\.log$/), /"subresource":"eviction"/);
  assert.ok(evictions.length >= 3);
  assert.ok(evictions.every((l) => l.includes('"username":"system:serviceaccount:kube-system:descheduler-sa"') && l.includes('"code":201')));
  const events = run.text('events.json');
  const descheduled = events.match(/"message": "pod evicted by sigs\.k8s\.io\/descheduler"/g) ?? [];
  assert.equal(descheduled.length, evictions.length);
  // The controller-manager did not record them: no "Event occurred" line of the descheduler's.
  assert.ok(!run.files.some((f) => f.includes('kube-controller-manager') && run.text(f).includes('reason="RemoveDuplicates"')));
  const [f, ...more] = await found(run, 'eviction-churn');
  assert.ok(f && more.length === 0);
  assert.equal(f.incident.root?.uid, root.uid);
  assert.match(f.incident.summary, new RegExp(`^the descheduler evicted ${evictions.length} pods of deployment/default/web in \\d+ min \\(RemoveDuplicates\\)$`));
});
