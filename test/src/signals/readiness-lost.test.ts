/**
 * readiness-lost on real kubelet lines: the OpenShift 4.8 must-gather's masters' journal (kubelet
 * 1.21, ../shared/corpus/openshift-must-gather-aws), read through the real parsers. Its readiness
 * transitions say status="" where later kubelets say "not ready". They are deliberately not
 * readiness-lost yet: 1.21 logs one for every container with a readiness probe as it starts (the
 * prober's initial result is failure), and counting those made service-no-endpoints report two
 * false incidents on this capture (npm run eval -- --real: precision 88.9%, below 0.9). Telling
 * a start-up transition from a lost readiness needs the rule to see the "ready" that follows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KEvent } from '../../../src/model/event.js';
import { corpusSkip } from '../../helpers/paths.js';
import { eventsOfLines, mustGatherKubelet, stating } from '../../helpers/signal-lines.js';

const kubeletOf = mustGatherKubelet();

const probeLines = (probe: string, status: string): KEvent[] =>
  kubeletOf().filter((e) => e.message === 'SyncLoop (probe)' && e.fields['probe'] === probe && e.fields['status'] === status);

test('kubelet 1.21: the 107 "SyncLoop (probe)" probe="readiness" status="" lines are parsed, with their pod, and not (yet) readiness-lost', { skip: corpusSkip() }, () => {
  // grep -c 'probe="readiness" status=""' kubelet_service.log: 107
  const empty = probeLines('readiness', '');
  assert.equal(empty.length, 107);
  // The first: Aug 03 09:18:32.459409 ip-10-0-195-177 ... probe="readiness" status="" pod="openshift-sdn/sdn-4jf94"
  assert.match(empty[0]!.raw, /09:18:32\.459395 .*"SyncLoop \(probe\)" probe="readiness" status="" pod="openshift-sdn\/sdn-4jf94"/);
  assert.deepEqual(empty[0]!.objects.map((o) => `${o.kind}/${o.namespace}/${o.name}`), ['Pod/openshift-sdn/sdn-4jf94']);
  assert.deepEqual(stating(kubeletOf(), 'readiness-lost'), []);
});

test('kubelet 1.21 look-alikes: ready, started and unhealthy transitions are no readiness lost, and no probe line either', { skip: corpusSkip() }, () => {
  // grep -c: status="ready" 94, startup "started" 24, startup "unhealthy" 24, liveness "unhealthy" 12
  const others = [...probeLines('readiness', 'ready'), ...probeLines('startup', 'started'), ...probeLines('startup', 'unhealthy'), ...probeLines('liveness', 'unhealthy')];
  assert.equal(others.length, 94 + 24 + 24 + 12);
  // probe-failed is the kubelet's "Probe failed" line (289 of them, must-gather.test.ts): a
  // transition line is not one more failure.
  const failed = new Set(stating(kubeletOf(), 'probe-failed').map((s) => s.event));
  assert.ok([...others, ...probeLines('readiness', '')].every((e) => !failed.has(e)));
});

test("the 1.22+ wording fires; 1.21's empty status and a status the kubelet never writes do not", async () => {
  const events = await eventsOfLines([
    'I0803 09:18:32.459395    1354 kubelet.go:2038] "SyncLoop (probe)" probe="readiness" status="not ready" pod="ns/a"',
    'I0803 09:18:33.459395    1354 kubelet.go:2038] "SyncLoop (probe)" probe="readiness" status="unknown" pod="ns/b"',
    'I0803 09:18:34.459395    1354 kubelet.go:2038] "SyncLoop (probe)" probe="liveness" status="" pod="ns/c"',
    'I0803 09:18:35.459395    1354 kubelet.go:2038] "SyncLoop (probe)" probe="readiness" pod="ns/d"',
    'I0803 09:18:36.459395    1354 kubelet.go:2038] "SyncLoop (probe)" probe="readiness" status="" pod="ns/e"',
  ]);
  assert.deepEqual(stating(events, 'readiness-lost').map((s) => s.event.fields['pod']), ['ns/a']);
});
