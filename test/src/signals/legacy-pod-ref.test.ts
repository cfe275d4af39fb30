/**
 * legacyPodRef on real lines: microk8s's kubelite (../shared/corpus/microk8s-kubelite-journal)
 * names pods in the older `name_namespace(uid)` form inside the `err` of "Error syncing pod"
 * lines, read through the real parsers. The message form is written to Kubernetes 1.19's
 * prober.go format (`%s probe for %q failed (%v): %s`, the pod as format.Pod prints it).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { severityRank } from '../../../src/model/event.js';
import { legacyPodRef } from '../../../src/signals/legacy-pod-ref.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf, eventsOfLines } from '../../helpers/signal-lines.js';

test('microk8s kubelite: the pods named in err are read with their namespace and uid; lines naming none give none', { skip: corpusSkip() }, async () => {
  const events = (await eventsOf([corpus('microk8s-kubelite-journal')])).filter((e) => e.component === 'kubelet');
  const named = events.map((e) => ({ e, ref: legacyPodRef({ ...e, severity: severityRank(e.severity) }) })).filter((x) => x.ref);
  const pods = [...new Set(named.map((x) => `${x.ref!.namespace}/${x.ref!.name} ${x.ref!.uid}`))].sort();
  assert.deepEqual(pods, [
    'kube-system/calico-kube-controllers-77bd7c5b-24kb9 02ee1131-34e3-4ed2-a2bb-b6583b667475',
    'kube-system/coredns-864597b5fd-n46c6 46e0b55c-cd53-4d27-8748-246d19025ddc',
    'kube-system/hostpath-provisioner-7df77bc496-cgp28 02f0c113-9ed5-4d80-bf4d-df6aca3562b7',
  ]);
  // Every line that yields one says it in its err; the thousands of other lines yield none.
  assert.ok(named.every((x) => String(x.e.fields['err']).includes(`${x.ref!.name}_${x.ref!.namespace}(${x.ref!.uid})`)));
  assert.ok(events.length > 10 * named.length, `${events.length} lines, ${named.length} named`);
});

test("the 1.19 kubelet's probe line names its pod in the message", async () => {
  const [e] = await eventsOfLines([
    'I0321 14:51:31.299475     785 prober.go:117] Readiness probe for "etcd-kind-control-plane_kube-system(0f1a7c9e6b1d4f3aa2c8e5b7d9f01234):etcd" failed (failure): HTTP probe failed with statuscode: 503',
  ]);
  assert.deepEqual(legacyPodRef({ ...e!, severity: severityRank(e!.severity) }), { namespace: 'kube-system', name: 'etcd-kind-control-plane', uid: '0f1a7c9e6b1d4f3aa2c8e5b7d9f01234' });
});
