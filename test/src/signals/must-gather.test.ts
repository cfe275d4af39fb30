/**
 * Signals on the real OpenShift 4.8 must-gather (../shared/corpus/openshift-must-gather-aws): its
 * masters' kubelet journal, an etcd member's log and two namespaces' Events, read through the real
 * parsers. Each expectation was checked against the lines with grep.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KEvent } from '../../../src/model/event.js';
import { corpusSkip } from '../../helpers/paths.js';
import { eventsOf, mustGatherPaths, stating, unpackMustGather } from '../../helpers/signal-lines.js';

let kubelet: KEvent[] = [];
let etcd: KEvent[] = [];
let events: KEvent[] = [];
let dispose = (): void => {};

before(async () => {
  if (corpusSkip()) return;
  const mg = unpackMustGather([mustGatherPaths.kubelet, mustGatherPaths.etcd, mustGatherPaths.monitoringEvents, mustGatherPaths.etcdEvents]);
  dispose = mg.dispose;
  kubelet = await eventsOf([mg.paths[0]!]);
  etcd = await eventsOf([mg.paths[1]!]);
  events = await eventsOf([mg.paths[2]!, mg.paths[3]!]);
});
after(() => dispose());

test('probe-failed: every kubelet "Probe failed" line, with its probe type and output', { skip: corpusSkip() }, () => {
  const lines = stating(kubelet, 'probe-failed');
  // grep -c '"Probe failed"' kubelet_service.log: 289
  assert.equal(lines.length, 289);
  const first = lines[0]!;
  assert.equal(first.facts['probe'], 'liveness');
  assert.match(String(first.facts['output']), /^Get "https:\/\/10\.128\.0\.14:8443\/healthz"/);
  // Unhealthy Events say it too, marked as Events (they repeat the kubelet's lines).
  const fromEvents = stating(events, 'probe-failed');
  assert.ok(fromEvents.length > 0 && fromEvents.every((s) => s.facts['event'] === true && s.facts['probe'] === 'readiness'));
});

test('back-off-restarting: CrashLoopBackOff sync errors with the delay they name', { skip: corpusSkip() }, () => {
  const lines = stating(kubelet, 'back-off-restarting');
  // grep -c 'CrashLoopBackOff' kubelet_service.log: 38, all of them "Error syncing pod" lines
  assert.equal(lines.length, 38);
  assert.deepEqual([...new Set(lines.map((s) => s.facts['backoffSeconds']))].sort((a, b) => Number(a) - Number(b)), [10, 20, 40, 80]); // 29x 10s, 4x 20s, 4x 40s, 7x 1m20s
  assert.equal(lines.filter((s) => s.facts['backoffSeconds'] === 80).length, 7);
});

test('container-killed: the kubelet killing containers on purpose', { skip: corpusSkip() }, () => {
  // grep -c 'Killing container with a grace period' kubelet_service.log: 144 (kubelet 1.21 adds " override")
  assert.equal(stating(kubelet, 'container-killed').length, 144);
});

test('etcd: a member losing its leader, the election steps, and slow applies with took and key', { skip: corpusSkip() }, () => {
  const lost = stating(etcd, 'etcd-leader-lost');
  // "raft.node: bb9c7099bd31ffff lost leader 30c29f1b390a6a04 at term 8" at 09:27:17
  assert.equal(lost.length, 1);
  assert.deepEqual(lost[0]!.facts, { member: 'bb9c7099bd31ffff', lostLeader: '30c29f1b390a6a04', term: 8 });
  const steps = stating(etcd, 'etcd-election').map((s) => `${String(s.facts['step'])}@${String(s.facts['term'])}`);
  assert.ok(steps.includes('became-follower@7'), steps.join(' '));
  const slow = stating(etcd, 'etcd-slow-request');
  // grep -c 'took too long' current.log: 590 warnings, plus the traces that detail them
  assert.ok(slow.filter((s) => s.facts['trace'] !== true).length >= 590, String(slow.length));
  const apply = slow.find((s) => s.event.message === 'apply request took too long')!;
  assert.ok(typeof apply.facts['tookMs'] === 'number' && apply.facts['tookMs'] > 100);
  assert.match(String(apply.facts['key']), /^\/kubernetes\.io\//);
});

test('pod-evicted: "Cancelling deletion of Pod" is the eviction called off, never an eviction', { skip: corpusSkip() }, () => {
  const cancelling = events.filter((e) => e.fields['reason'] === 'TaintManagerEviction');
  // Four Events in openshift-monitoring, all "Cancelling deletion of Pod openshift-monitoring/..."
  assert.equal(cancelling.length, 4);
  assert.ok(cancelling.every((e) => e.message.includes('Cancelling deletion of Pod')));
  assert.deepEqual(stating(events, 'pod-evicted'), []);
});

test('failed-scheduling and pod-scheduled: the scheduler Events, with the reason as stated', { skip: corpusSkip() }, () => {
  const failed = stating(events, 'failed-scheduling');
  assert.ok(failed.length > 0);
  assert.ok(failed.some((s) => s.facts['reason'] === 'no nodes available to schedule pods'));
  assert.ok(stating(events, 'pod-scheduled').length > 0);
});
