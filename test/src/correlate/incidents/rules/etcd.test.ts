import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectIncidents } from '../../../../../src/correlate/incidents/index.js';
import { apiserver5xxRule } from '../../../../../src/correlate/incidents/rules/apiserver-5xx.js';
import { apiserverTimeoutRule } from '../../../../../src/correlate/incidents/rules/apiserver-timeout.js';
import { etcdLeaderLossRule } from '../../../../../src/correlate/incidents/rules/etcd-leader-loss.js';
import { etcdSlowRequestRule } from '../../../../../src/correlate/incidents/rules/etcd-slow-request.js';
import { at, detectOnly, evidence, Fixture, incidentObjects, incidents, type Obj } from '../fixture.js';

const A = '8efa7c9cb16ff9c0';
const B = '44c0319d0a18e043';
const C = '248ebbdef1cfa781';

function raft(f: Fixture, t: number, pod: Obj, host: string, message: string, fields: Record<string, unknown>): number {
  return f.ev({ t, component: 'etcd', host, message, fields: { logger: 'raft', ...fields }, writer: pod, file: `${host}/etcd.log` });
}

function slow(f: Fixture, t: number, pod: Obj, host: string, tookMs: number): number {
  return f.ev({ t, component: 'etcd', host, severity: 'warn', message: 'apply request took too long', fields: { took: `${tookMs}ms`, 'expected-duration': '100ms', slow: true, tookMs }, writer: pod, file: `${host}/etcd.log` });
}

function cluster() {
  const f = new Fixture();
  const pods = {
    a: f.pod('kube-system', 'etcd-cp1', { uid: 'd6b36252c8fc3971f46cd77fd213a052' }),
    b: f.pod('kube-system', 'etcd-cp2', { uid: '19908bc2195e3caad3052627c6d30647' }),
    c: f.pod('kube-system', 'etcd-cp3', { uid: '55d17e1a8169ea720c633065ebd4fd58' }),
  };
  // Each member said who it is at start-up.
  raft(f, -300, pods.a, 'cp1', `${A} became leader at term 2`, { raft: 'became-leader', member: A, term: 2 });
  raft(f, -300, pods.b, 'cp2', `raft.node: ${B} elected leader ${A} at term 2`, { raft: 'elected-leader', member: B, leader: A, term: 2 });
  raft(f, -300, pods.c, 'cp3', `raft.node: ${C} elected leader ${A} at term 2`, { raft: 'elected-leader', member: C, leader: A, term: 2 });
  return { f, pods };
}

test('a leader lost and re-elected, seen by all members, is rooted at the old leader pod, with the apiserver and clients as effects', () => {
  const { f, pods } = cluster();
  const background = slow(f, -60, pods.a, 'cp1', 120); // a minute before: not this incident
  const late = f.ev({ t: 0, component: 'etcd', host: 'cp1', severity: 'warn', message: 'leader failed to send out heartbeat on time; took too long, leader is overloaded likely from slow disk', fields: { to: B }, writer: pods.a, file: 'cp1/etcd.log' });
  const slowBefore = slow(f, 0.5, pods.a, 'cp1', 1800);
  const election = [
    raft(f, 1.2, pods.b, 'cp2', `${B} is starting a new election at term 2`, { raft: 'starting-election', member: B, term: 2 }),
    raft(f, 1.21, pods.b, 'cp2', `${B} became candidate at term 3`, { raft: 'became-candidate', member: B, term: 3 }),
    raft(f, 1.22, pods.b, 'cp2', `raft.node: ${B} lost leader ${A} at term 3`, { raft: 'lost-leader', member: B, leader: A, term: 3 }),
    raft(f, 1.23, pods.c, 'cp3', `raft.node: ${C} lost leader ${A} at term 3`, { raft: 'lost-leader', member: C, leader: A, term: 3 }),
    raft(f, 1.25, pods.b, 'cp2', `${B} became leader at term 3`, { raft: 'became-leader', member: B, leader: B, term: 3 }),
    raft(f, 3.1, pods.a, 'cp1', `raft.node: ${A} changed leader from ${A} to ${B} at term 3`, { raft: 'changed-leader', member: A, from: A, to: B, leader: B, term: 3 }),
  ];
  const slowAfter = [slow(f, 20, pods.b, 'cp2', 500), slow(f, 45, pods.b, 'cp2', 400), slow(f, 100, pods.b, 'cp2', 300)];
  const apiserver = f.pod('kube-system', 'kube-apiserver-cp1');
  const http = f.ev({ t: 6, component: 'kube-apiserver', host: 'cp1', message: 'HTTP', fields: { verb: 'LIST', URI: '/api/v1/pods', resp: 504, 'audit-ID': 'x1' }, writer: apiserver });
  const audit = f.ev({ t: 6, component: 'audit', host: 'cp1', severity: 'error', message: 'list pods 504', fields: { auditID: 'x1', code: 504 } });
  const lease = f.ev({ t: 8, component: 'kube-controller-manager', host: 'cp1', severity: 'error', message: 'error retrieving resource lock kube-system/kube-controller-manager: context deadline exceeded' });
  const kubelet = f.ev({ t: 9, component: 'kubelet', host: 'w1', severity: 'error', message: 'Failed to update lease', fields: { err: 'context deadline exceeded' } });
  const inc = detectOnly(f, etcdLeaderLossRule);
  assert.equal(inc!.kind, 'etcd-leader-loss');
  assert.equal(inc!.severity, 3);
  assert.equal(inc!.rootUid, 'd6b36252c8fc3971f46cd77fd213a052');
  // The facts as the lines state them (members and terms); the pod behind a member ID is marked as inferred.
  assert.equal(inc!.summary, `etcd leader ${A} (etcd-cp1, inferred from the member ID) lost leadership at term 3; ${B} became leader at term 3; reported by 3 members`);
  assert.equal(inc!.start, at(0));
  assert.equal(inc!.end, at(45));
  const ev = evidence(f.db, inc!.id);
  assert.deepEqual(
    [...ev],
    [
      [late, 'cause'],
      [slowBefore, 'cause'],
      ...election.map((id) => [id, 'trigger']),
      [http, 'effect'],
      [audit, 'effect'],
      [lease, 'effect'],
      [kubelet, 'effect'],
      [slowAfter[0]!, 'effect'],
      [slowAfter[1]!, 'effect'],
    ].sort((x, y) => (x[0] as number) - (y[0] as number)),
  );
  assert.ok(!ev.has(background) && !ev.has(slowAfter[2]!));
  assert.deepEqual(inc!.details.components, ['audit', 'etcd', 'kube-apiserver', 'kube-controller-manager', 'kubelet']);
  assert.deepEqual(incidentObjects(f.db, inc!.id), ['root:etcd-cp1', 'affected:etcd-cp2', 'affected:etcd-cp3']);
  assert.deepEqual(inc!.details.notes, { oldLeader: A, newLeader: B });
});

test('a leader change only one member reports is a warning', () => {
  const { f, pods } = cluster();
  raft(f, 1, pods.b, 'cp2', `raft.node: ${B} lost leader ${A} at term 3`, { raft: 'lost-leader', member: B, leader: A, term: 3 });
  f.done();
  detectIncidents(f.store, { rules: [etcdLeaderLossRule] });
  assert.deepEqual(incidents(f.db).map((i) => [i.kind, i.severity, i.rootUid]), [['etcd-leader-loss', 2, 'd6b36252c8fc3971f46cd77fd213a052']]);
});

test('the first election at bootstrap is no leader loss', () => {
  const { f } = cluster();
  f.done();
  assert.deepEqual(detectIncidents(f.store, { rules: [etcdLeaderLossRule] }).byKind, {});
});

test('slow requests: five on one member within 30 s of each other are an incident, traces and sparse ones are not counted', () => {
  const { f, pods } = cluster();
  // Healthy background: slow requests a minute apart.
  for (const t of [0, 60, 120, 180, 240, 300]) slow(f, t, pods.a, 'cp1', 150);
  // A sustained run on another member, each with its trace.
  const run: number[] = [];
  for (const t of [400, 410, 420, 430, 440]) {
    run.push(slow(f, t, pods.c, 'cp3', 900));
    f.ev({ t: t + 0.001, component: 'etcd', host: 'cp3', message: 'trace[1] range', fields: { trace: '1', slow: true, tookMs: 900 }, writer: pods.c, file: 'cp3/etcd.log' });
  }
  f.done();
  detectIncidents(f.store, { rules: [etcdSlowRequestRule] });
  const found = incidents(f.db);
  assert.deepEqual(found.map((i) => [i.kind, i.severity, i.rootUid, i.start, i.end, i.summary]), [
    ['etcd-slow-request', 2, '55d17e1a8169ea720c633065ebd4fd58', at(400), at(440), 'etcd-cp3: 5 slow requests in 40 s (worst 900 ms)'],
  ]);
  const ev = evidence(f.db, found[0]!.id);
  assert.deepEqual(run.map((id) => ev.get(id)), ['trigger', 'trigger', 'trigger', 'trigger', 'trigger']);
  assert.equal([...ev.values()].filter((r) => r === 'evidence').length, 5);
});

test('four slow requests are below the threshold', () => {
  const { f, pods } = cluster();
  for (const t of [0, 10, 20, 30]) slow(f, t, pods.a, 'cp1', 900);
  f.done();
  assert.deepEqual(detectIncidents(f.store, { rules: [etcdSlowRequestRule] }).byKind, {});
});

test('slow requests and apiserver timeouts during a leader election fold into it', () => {
  const { f, pods } = cluster();
  raft(f, 1, pods.b, 'cp2', `raft.node: ${B} lost leader ${A} at term 3`, { raft: 'lost-leader', member: B, leader: A, term: 3 });
  raft(f, 1, pods.c, 'cp3', `raft.node: ${C} lost leader ${A} at term 3`, { raft: 'lost-leader', member: C, leader: A, term: 3 });
  for (const t of [2, 4, 6, 8, 10]) slow(f, t, pods.b, 'cp2', 700);
  const apiserver = f.pod('kube-system', 'kube-apiserver-cp2');
  for (let i = 0; i < 6; i++) f.ev({ t: 3 + i, component: 'kube-apiserver', host: 'cp2', message: 'HTTP', fields: { resp: 504, 'audit-ID': `r${i}` }, writer: apiserver });
  f.done();
  const summary = detectIncidents(f.store, { rules: [etcdLeaderLossRule, etcdSlowRequestRule, apiserverTimeoutRule, apiserver5xxRule] });
  assert.deepEqual(summary.byKind, { 'etcd-leader-loss': 1 });
  assert.equal(summary.absorbed, 2);
  assert.deepEqual(incidents(f.db)[0]!.details.absorbed.map((a) => [a.kind, a.root]), [
    ['etcd-slow-request', 'pod/kube-system/etcd-cp2'],
    ['apiserver-timeout', 'pod/kube-system/kube-apiserver-cp2'],
  ]);
});

test('a split vote: the leader elected at the next term is the one that took over', () => {
  const { f, pods } = cluster();
  raft(f, 1, pods.b, 'cp2', `raft.node: ${B} lost leader ${A} at term 3`, { raft: 'lost-leader', member: B, leader: A, term: 3 });
  raft(f, 1, pods.c, 'cp3', `raft.node: ${C} lost leader ${A} at term 3`, { raft: 'lost-leader', member: C, leader: A, term: 3 });
  // Both campaign at term 3 and vote for themselves: no leader at term 3.
  raft(f, 1.01, pods.b, 'cp2', `${B} became candidate at term 3`, { raft: 'became-candidate', member: B, term: 3 });
  raft(f, 1.01, pods.c, 'cp3', `${C} became candidate at term 3`, { raft: 'became-candidate', member: C, term: 3 });
  raft(f, 2.5, pods.c, 'cp3', `${C} became leader at term 4`, { raft: 'became-leader', member: C, leader: C, term: 4 });
  raft(f, 2.5, pods.b, 'cp2', `raft.node: ${B} elected leader ${C} at term 4`, { raft: 'elected-leader', member: B, leader: C, term: 4 });
  f.done();
  detectIncidents(f.store, { rules: [etcdLeaderLossRule] });
  assert.match(incidents(f.db)[0]!.summary, new RegExp(`^etcd leader ${A} .*lost leadership at term 3; ${C} became leader at term 4;`));
});

test('a second election soon after: each loss names the leader that took over from it, not the latest', () => {
  const { f, pods } = cluster();
  // A is killed; B wins term 3.
  raft(f, 1, pods.b, 'cp2', `raft.node: ${B} lost leader ${A} at term 3`, { raft: 'lost-leader', member: B, leader: A, term: 3 });
  raft(f, 1, pods.c, 'cp3', `raft.node: ${C} lost leader ${A} at term 3`, { raft: 'lost-leader', member: C, leader: A, term: 3 });
  raft(f, 1.01, pods.b, 'cp2', `${B} became leader at term 3`, { raft: 'became-leader', member: B, leader: B, term: 3 });
  raft(f, 1.01, pods.c, 'cp3', `raft.node: ${C} elected leader ${B} at term 3`, { raft: 'elected-leader', member: C, leader: B, term: 3 });
  // Two seconds later C times out on B's heartbeats and wins term 4.
  raft(f, 3, pods.b, 'cp2', `raft.node: ${B} lost leader ${B} at term 4`, { raft: 'lost-leader', member: B, leader: B, term: 4 });
  raft(f, 3, pods.c, 'cp3', `raft.node: ${C} lost leader ${B} at term 4`, { raft: 'lost-leader', member: C, leader: B, term: 4 });
  raft(f, 3.01, pods.c, 'cp3', `${C} became leader at term 4`, { raft: 'became-leader', member: C, leader: C, term: 4 });
  raft(f, 3.01, pods.b, 'cp2', `raft.node: ${B} elected leader ${C} at term 4`, { raft: 'elected-leader', member: B, leader: C, term: 4 });
  f.done();
  detectIncidents(f.store, { rules: [etcdLeaderLossRule] });
  const summaries = incidents(f.db).map((i) => i.summary.replace(/ \(etcd-cp\d, inferred from the member ID\)/, ''));
  assert.deepEqual(summaries, [
    `etcd leader ${A} lost leadership at term 3; ${B} became leader at term 3; reported by 2 members`,
    `etcd leader ${B} lost leadership at term 4; ${C} became leader at term 4; reported by 2 members`,
  ]);
});

test("the control plane's probe failures in the loss are effects, named by the pod field or by the older name_namespace(uid) text", () => {
  const { f, pods } = cluster();
  raft(f, 1.22, pods.b, 'cp2', `raft.node: ${B} lost leader ${A} at term 3`, { raft: 'lost-leader', member: B, leader: A, term: 3 });
  raft(f, 1.25, pods.b, 'cp2', `${B} became leader at term 3`, { raft: 'became-leader', member: B, leader: B, term: 3 });
  const probe = (t: number, message: string, fields: Record<string, unknown> = {}): number => f.ev({ t, component: 'kubelet', host: 'cp1', message, fields });
  const structured = probe(2, 'Probe failed', { probeType: 'Readiness', pod: 'kube-system/kube-apiserver-cp1', podUID: 'a1', output: 'HTTP probe failed with statuscode: 500' });
  const older = probe(3, 'Liveness probe for "etcd-cp1_kube-system(d6b36252c8fc3971f46cd77fd213a052):etcd" failed (failure): HTTP probe failed with statuscode: 503');
  // Look-alikes: a workload's probe in the older form, and a kube-system pod that is not the control plane.
  const workload = probe(3.5, 'Liveness probe for "etcd-backup_default(0f1a7c9e6b1d4f3aa2c8e5b7d9f01234):main" failed (failure): timeout');
  const dns = probe(4, 'Readiness probe for "coredns-abc_kube-system(1f1a7c9e6b1d4f3aa2c8e5b7d9f01234):coredns" failed (failure): timeout');
  const inc = detectOnly(f, etcdLeaderLossRule);
  const ev = evidence(f.db, inc!.id);
  assert.equal(ev.get(structured), 'effect');
  assert.equal(ev.get(older), 'effect');
  assert.ok(!ev.has(workload) && !ev.has(dns));
});
