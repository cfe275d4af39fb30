/**
 * object-deleted on real lines, read through the real parsers: failure-cases' kind kubelet (1.24)
 * and its `kubectl get events -o json` list, the OpenShift must-gather's kube-controller-manager
 * and CRI-O (4.8, kubelet 1.21), and the falco audit events (../shared/corpus).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf, eventsOfLines, mustGatherPaths, stating, withMustGather } from '../../helpers/signal-lines.js';

const failureCases = (file: string): string => corpus('failure-cases', 'C5', 'log', `2023-08-29T23:48:45-${file}`);

test('kubelet 1.24: SyncLoop DELETE and REMOVE; its ADD, UPDATE, RECONCILE and PLEG lines are no deletion', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([failureCases('kubelet-kind-worker.log.txt')]);
  const stated = stating(events, 'object-deleted');
  // grep -c '"SyncLoop DELETE"\|"SyncLoop REMOVE"' ...-kubelet-kind-worker.log.txt: 79
  assert.equal(stated.length, 79);
  assert.deepEqual([...new Set(stated.map((s) => s.event.message))].sort(), ['SyncLoop DELETE', 'SyncLoop REMOVE']);
  assert.ok(stated.every((s) => s.facts['by'] === 'kubelet'));
  const others = events.filter((e) => e.message.startsWith('SyncLoop') && !stated.some((s) => s.event === e));
  assert.ok(others.length > 100, `${others.length} other SyncLoop lines`);
});

test('Events: SuccessfulDelete is a deletion; SuccessfulCreate, Killing and the other reasons are not', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([failureCases('events.log.txt')]);
  const stated = stating(events, 'object-deleted');
  const reasons = new Map<string, number>();
  for (const e of events) reasons.set(String(e.fields['reason']), (reasons.get(String(e.fields['reason'])) ?? 0) + 1);
  assert.ok((reasons.get('SuccessfulCreate') ?? 0) > 0 && (reasons.get('Killing') ?? 0) > 0);
  assert.equal(stated.length, reasons.get('SuccessfulDelete'));
  assert.ok(stated.length > 0 && stated.every((s) => s.facts['by'] === 'event' && s.event.message.startsWith('SuccessfulDelete: Deleted pod: ')));
});

test('must-gather: the ReplicaSet controller\'s "Deleting pod"; CRI-O\'s "Deleting pod ... from CNI network" is not one', { skip: corpusSkip() }, async () => {
  const kcm = mustGatherPaths.kubelet.replace(
    'host_service_logs/masters/kubelet_service.log',
    'namespaces/openshift-kube-controller-manager/pods/kube-controller-manager-ip-10-0-189-142.ec2.internal/kube-controller-manager/kube-controller-manager/logs/current.log',
  );
  const crio = mustGatherPaths.kubelet.replace('kubelet_service.log', 'crio_service.log');
  await withMustGather([kcm, crio], async ([kcmPath, crioPath]) => {
    const stated = stating(await eventsOf([kcmPath!]), 'object-deleted');
    // Beside its lines, the controller logs each Event it records: "Event occurred" ... reason="SuccessfulDelete"
    const recorded = stated.filter((s) => s.facts['by'] === 'event');
    assert.ok(recorded.length > 0 && recorded.every((s) => s.event.message === 'Event occurred' && s.event.fields['reason'] === 'SuccessfulDelete'));
    const controller = stated.filter((s) => s.facts['by'] !== 'event');
    // 2021-08-03T09:31:34.267501196Z I0803 09:31:34.267487 1 controller_utils.go:602] "Deleting pod" controller="console-7994575dc5" pod="openshift-console/console-7994575dc5-8x8qm"
    assert.deepEqual(controller.map((s) => [s.event.fields['pod'], s.facts['by']]), [
      ['openshift-console/console-7994575dc5-8x8qm', 'controller'],
      ['openshift-console/console-84b5f647b9-rdcvw', 'controller'],
    ]);
    const runtime = await eventsOf([crioPath!]);
    assert.ok(runtime.filter((e) => e.message.startsWith('Deleting pod ')).length > 0);
    assert.deepEqual(stating(runtime, 'object-deleted'), []);
  });
});

test('audit: the nine delete requests of the falco corpus; creates, gets and patches are not', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('audit-events')]);
  const stated = stating(events, 'object-deleted');
  // grep -o '"verb":"delete"' audit-events/*: 9
  assert.equal(stated.length, 9);
  assert.ok(stated.every((s) => s.facts['by'] === 'audit' && s.event.fields['verb'] === 'delete'));
  assert.ok(events.some((e) => e.fields['verb'] === 'create'));
});

test('the older kubelet wording (1.19 and before) is a deletion too', async () => {
  const stated = stating(
    await eventsOfLines([
      'I1119 11:58:39.929006    4390 kubelet.go:1931] SyncLoop (DELETE, "api"): "web-1_default(5d1f9b8e-2c4e-4a8e-9f0a-1b2c3d4e5f60)"',
      'I1119 11:58:40.929006    4390 kubelet.go:1925] SyncLoop (REMOVE, "api"): "web-1_default(5d1f9b8e-2c4e-4a8e-9f0a-1b2c3d4e5f60)"',
      'I1119 11:58:41.929006    4390 kubelet.go:1915] SyncLoop (ADD, "api"): "web-2_default(6d1f9b8e-2c4e-4a8e-9f0a-1b2c3d4e5f60)"',
    ]),
    'object-deleted',
  );
  assert.equal(stated.length, 2);
});
