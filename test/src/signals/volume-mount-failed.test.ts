/**
 * volume-mount-failed on the real OpenShift 4.8 must-gather: its masters' kubelet journal (199
 * `MountVolume.SetUp failed` operation errors while the install creates the secrets, four
 * `Unable to attach or mount volumes` give-ups) and the FailedMount Events of openshift-dns.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KEvent } from '../../../src/model/event.js';
import { corpusSkip } from '../../helpers/paths.js';
import { assertStated, eventsOf, mustGatherPaths, stating, unpackMustGather } from '../../helpers/signal-lines.js';

const DNS_EVENTS = mustGatherPaths.kubelet.replace('host_service_logs/masters/kubelet_service.log', 'namespaces/openshift-dns/core/events.yaml');
let kubelet: KEvent[] = [];
let events: KEvent[] = [];
let dispose = (): void => {};

before(async () => {
  if (corpusSkip()) return;
  const mg = unpackMustGather([mustGatherPaths.kubelet, DNS_EVENTS]);
  dispose = mg.dispose;
  kubelet = await eventsOf([mg.paths[0]!]);
  events = await eventsOf([mg.paths[1]!]);
});
after(() => dispose());

test('kubelet: every MountVolume.SetUp failure with its volume, pod and error; the give-ups marked', { skip: corpusSkip() }, () => {
  // grep -c 'MountVolume.SetUp failed' kubelet_service.log: 199; grep -c 'Unable to attach or mount volumes': 4
  const lines = assertStated(kubelet, 'volume-mount-failed', 203, {
    volume: 'serving-cert',
    podName: 'cluster-version-operator-849b4dcf9c-dl6zb',
    podUid: 'f7c90be6-10a6-46cf-a39e-c99366a43900',
    err: 'secret "cluster-version-operator-serving-cert" not found',
  });
  const gaveUp = lines.filter((s) => s.facts['gaveUp'] === true);
  assert.equal(gaveUp.length, 4);
  assert.deepEqual(gaveUp[0]!.facts, { volume: 'serving-cert', err: 'timed out waiting for the condition', gaveUp: true });
});

test('Events: FailedMount with the volume and the error as stated', { skip: corpusSkip() }, () => {
  const lines = stating(events, 'volume-mount-failed');
  // grep -c 'reason: FailedMount' namespaces/openshift-dns/core/events.yaml: 3
  assert.equal(lines.length, 3);
  assert.equal(lines[0]!.facts['volume'], 'kube-api-access-4jr97');
  assert.equal(lines[0]!.facts['err'], 'failed to sync configmap cache: timed out waiting for the condition');
  assert.ok(lines.every((s) => s.facts['event'] === true && s.facts['reason'] === 'FailedMount'));
});
