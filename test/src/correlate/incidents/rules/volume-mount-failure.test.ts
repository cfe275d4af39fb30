/**
 * volume-mount-failure on the real OpenShift must-gather's master journals: while the install
 * creates secrets after the pods that mount them (199 failures over 25 pods, the longest 64 s,
 * four kubelet give-ups each followed by the mount succeeding) there is no incident; a volume
 * that goes on failing for more than 3 minutes, in the same lines' format, is one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { volumeMountFailureRule } from '../../../../../src/correlate/incidents/rules/volume-mount-failure.js';
import { corpusSkip } from '../../../../helpers/paths.js';
import { mustGatherPaths, unpackMustGather } from '../../../../helpers/signal-lines.js';
import { detectOnFiles, detectOnLines } from '../fixture.js';

test('install-time mount failures that resolve within two minutes are no incident', { skip: corpusSkip() }, async () => {
  const mg = unpackMustGather([mustGatherPaths.kubelet]);
  try {
    assert.deepEqual(await detectOnFiles(mg.paths, volumeMountFailureRule), []);
  } finally {
    mg.dispose();
  }
});

test('a secret that never comes: the pod, the volume and the error as the kubelet states them', async () => {
  const uid = 'f7c90be6-10a6-46cf-a39e-c99366a43900';
  const line = (t: string): string =>
    `Aug 03 ${t}.314490 ip-10-0-195-177 hyperkube[1354]: E0803 ${t}.314480    1354 nestedpendingoperations.go:301] Operation for "{volumeName:kubernetes.io/secret/${uid}-serving-cert podName:${uid} nodeName:}" failed. No retries permitted until 2021-08-03 ${t}.81445576 +0000 UTC m=+14.594706161 (durationBeforeRetry 2m2s). Error: "MountVolume.SetUp failed for volume \\"serving-cert\\" (UniqueName: \\"kubernetes.io/secret/${uid}-serving-cert\\") pod \\"cluster-version-operator-849b4dcf9c-dl6zb\\" (UID: \\"${uid}\\") : secret \\"cluster-version-operator-serving-cert\\" not found"`;
  const found = await detectOnLines(['09:17:56', '09:19:58', '09:22:00'].map(line), 'kubelet_service.log', volumeMountFailureRule);
  assert.equal(found.length, 1);
  assert.equal(
    found[0]!.summary,
    'pod/cluster-version-operator-849b4dcf9c-dl6zb: volume "serving-cert" could not be mounted for 4 min (3 failures): secret "cluster-version-operator-serving-cert" not found',
  );
});
