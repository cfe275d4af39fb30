/**
 * pod-marked-not-ready: the corpus holds no node outage, so the node lifecycle controller's lines
 * are written to its formats (pkg/controller/util/node/controller_utils.go MarkPodsNotReady:
 * `klog.V(2).InfoS("Updating ready status of pod to false", "pod", klog.KObj(pod))`; the
 * recorder's "Event occurred" line and the Event document of the NodeNotReady Event on the pod).
 * The real look-alikes: failure-cases' Events (kind 1.24) of every other reason.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf, eventsOfLines, factsOfLines, stating } from '../../helpers/signal-lines.js';

test('the node controller marking a pod, and its NodeNotReady Event on the pod; the Node\'s own Event is node-not-ready', async () => {
  assert.deepEqual(
    await factsOfLines(
      [
        'I0830 04:31:02.406352       1 controller_utils.go:151] "Updating ready status of pod to false" logger="node-lifecycle-controller" pod="default/web-1"',
        'I0830 04:31:02.406400       1 event.go:389] "Event occurred" object="default/web-1" fieldPath="" kind="Pod" apiVersion="v1" type="Warning" reason="NodeNotReady" message="Node is not ready"',
        'I0830 04:31:01.406400       1 event.go:389] "Event occurred" object="kind-worker" fieldPath="" kind="Node" apiVersion="v1" type="Normal" reason="NodeNotReady" message="Node kind-worker status is now: NodeNotReady"',
        'I0830 04:31:03.406352       1 controller_utils.go:151] "Updating ready status of pod to true" logger="node-lifecycle-controller" pod="default/web-1"',
      ],
      'pod-marked-not-ready',
      'kube-controller-manager.log',
    ),
    [{}, { event: true }],
  );
});

test('Event documents: a pod\'s "Node is not ready" is it, the Node\'s "status is now: NodeNotReady" is not', async () => {
  const doc = (name: string, kind: string, message: string): string =>
    JSON.stringify({
      kind: 'Event', apiVersion: 'v1', metadata: { name: `${name}.17a1b2c3d4e5f6a7`, namespace: 'default' },
      involvedObject: { kind, namespace: kind === 'Pod' ? 'default' : undefined, name }, reason: 'NodeNotReady', message,
      source: { component: 'node-controller' }, firstTimestamp: '2023-08-30T04:31:02Z', lastTimestamp: '2023-08-30T04:31:02Z', count: 1, type: kind === 'Pod' ? 'Warning' : 'Normal',
    });
  const list = `{"apiVersion":"v1","kind":"List","items":[${doc('web-1', 'Pod', 'Node is not ready')},${doc('kind-worker', 'Node', 'Node kind-worker status is now: NodeNotReady')}]}`;
  const events = await eventsOfLines([list], 'events.json');
  assert.equal(events.length, 2);
  assert.deepEqual(stating(events, 'pod-marked-not-ready').map((s) => s.event.message), ['NodeNotReady: Node is not ready']);
});

test('failure-cases: 618 real Events of thirteen other reasons, about pods, ReplicaSets and Deployments, are not it', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('failure-cases', 'C5', 'log', '2023-08-29T23:48:45-events.log.txt')]);
  assert.equal(events.filter((e) => e.component === 'event').length, 618);
  assert.deepEqual(stating(events, 'pod-marked-not-ready'), []);
});
