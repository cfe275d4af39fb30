import { test } from 'node:test';
import assert from 'node:assert/strict';
import { klogObjects, refFromApiPath } from '../../../parsers/payload/klog-objects.js';
import type { ObjectRef } from '../../../src/model/event.js';
import { assertEachGives } from '../../helpers/table.js';

const UID_A = '3e843632-6ff0-4a3c-b453-fb0485688c7c';
const UID_B = 'c1ebac98-f89d-4559-9478-2025627dbb6e';
const STATIC = 'dd131b44f2cb818f764811cd71cc66de';

test('refFromApiPath names the object of a request path', () => {
  assertEachGives<string, ReturnType<typeof refFromApiPath>>(refFromApiPath, [
    ['/api/v1/namespaces/kube-system/pods/etcd-m1', { kind: 'Pod', namespace: 'kube-system', name: 'etcd-m1' }],
    ['/api/v1/namespaces/kube-system/pods/etcd-m1/log?follow=true', { kind: 'Pod', namespace: 'kube-system', name: 'etcd-m1' }],
    ['/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1', { kind: 'Lease', namespace: 'kube-node-lease', name: 'n1' }],
    ['/apis/apps/v1/namespaces/default/replicasets/web-abc/scale', { kind: 'ReplicaSet', namespace: 'default', name: 'web-abc' }],
    ['/api/v1/nodes/kind-control-plane/status', { kind: 'Node', name: 'kind-control-plane' }],
    ['/apis/storage.k8s.io/v1/csinodes/localhost', { kind: 'CSINode', name: 'localhost' }],
    ['/api/v1/namespaces/default', { kind: 'Namespace', name: 'default' }],
    ['/api/v1/namespaces/default/', { kind: 'Namespace', name: 'default' }],
    ['/api/v1/watch/namespaces/default/pods/web-0', { kind: 'Pod', namespace: 'default', name: 'web-0' }],
    ['/apis/example.com/v1/namespaces/ns/widgets/w1', { kind: 'Widget', namespace: 'ns', name: 'w1' }],
    ['/api/v1/namespaces/default/pods', undefined], // a list names no object
    ['/api/v1/pods?fieldSelector=spec.nodeName%3Dn1', undefined],
    ['/apis/batch/v1', undefined],
    ['/api', undefined],
    ['/healthz', undefined],
    ['/api/v1/namespaces//pods/x', undefined],
  ]);
});

test('klogObjects: fields, messages and trace lines to exact refs', () => {
  const cases: { name: string; message: string; fields: Record<string, unknown>; trace?: string[]; want: ObjectRef[] }[] = [
    {
      name: 'klog JSON refs are objects',
      message: 'Successfully bound pod to node',
      fields: { pod: { name: 'web-0', namespace: 'default' }, node: { name: 'kind-worker' }, evaluatedNodes: 1 },
      want: [
        { kind: 'Pod', namespace: 'default', name: 'web-0', via: 'field', key: 'pod' },
        { kind: 'Node', name: 'kind-worker', via: 'field', key: 'node' },
      ],
    },
    {
      name: 'klog JSON list of pods and a Deployment ref',
      message: 'x',
      fields: { pods: [{ name: 'a', namespace: 'n' }, 'n/b'], deployment: { name: 'web', namespace: 'default' } },
      want: [
        { kind: 'Pod', namespace: 'n', name: 'a', via: 'field', key: 'pods' },
        { kind: 'Pod', namespace: 'n', name: 'b', via: 'field', key: 'pods' },
        { kind: 'Deployment', namespace: 'default', name: 'web', via: 'field', key: 'deployment' },
      ],
    },
    {
      name: '%v list of pods',
      message: 'SyncLoop ADD',
      fields: { pods: '[kube-system/a kube-system/b]' },
      want: [
        { kind: 'Pod', namespace: 'kube-system', name: 'a', via: 'field', key: 'pods' },
        { kind: 'Pod', namespace: 'kube-system', name: 'b', via: 'field', key: 'pods' },
      ],
    },
    {
      name: 'a client error naming its request URL',
      message: 'error retrieving resource lock kube-system/kube-controller-manager: Get "https://localhost:6443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager?timeout=5s": dial tcp [::1]:6443: connect: connection refused',
      fields: {},
      want: [{ kind: 'Lease', namespace: 'kube-system', name: 'kube-controller-manager', via: 'uri', key: 'message' }],
    },
    {
      name: 'trace lines are searched for urls',
      message: 'Trace[1]: "List" (started: 2021-01-29 10:05:09.476)',
      fields: {},
      trace: ['Trace[1]: ---"Listing from storage done" url:/api/v1/namespaces/default/configmaps/cm1,user-agent:x 10ms'],
      want: [{ kind: 'ConfigMap', namespace: 'default', name: 'cm1', via: 'uri', key: 'trace' }],
    },
    {
      name: 'a gRPC "service" is not a Service; a namespaced one, port dropped, is',
      message: 'x',
      fields: { service: 'podresources', servicePortName: 'default/kubernetes:https' },
      want: [{ kind: 'Service', namespace: 'default', name: 'kubernetes', via: 'field', key: 'servicePortName' }],
    },
    {
      name: "kube-proxy's structured service port",
      message: 'Adding new service port',
      fields: { portName: 'kube-system/kube-dns:dns-tcp', servicePort: '10.96.0.10:53/TCP' },
      want: [{ kind: 'Service', namespace: 'kube-system', name: 'kube-dns', via: 'field', key: 'portName' }],
    },
    {
      name: "kubelet's event recorder: the involved object",
      message: 'Server rejected event (will not retry!)',
      fields: { event: `&Event{ObjectMeta:{web-0.17f  default    0 0001-01-01 00:00:00 +0000 UTC <nil> <nil> map[] map[] [] [] []},InvolvedObject:ObjectReference{Kind:Pod,Namespace:default,Name:web-0,UID:${UID_A},APIVersion:v1,ResourceVersion:1,FieldPath:,},Reason:Started,}` },
      want: [{ kind: 'Pod', namespace: 'default', name: 'web-0', uid: UID_A, via: 'field', key: 'event' }],
    },
    {
      name: "the old controller-manager event line: %#v ObjectReference and the pod it created",
      message: `Event(v1.ObjectReference{Kind:"ReplicaSet", Namespace:"kube-system", Name:"coredns-f9fd979d6", UID:"${UID_B}", APIVersion:"apps/v1", ResourceVersion:"371", FieldPath:""}): type: 'Normal' reason: 'SuccessfulCreate' Created pod: coredns-f9fd979d6-4xkqp`,
      fields: {},
      want: [
        { kind: 'ReplicaSet', namespace: 'kube-system', name: 'coredns-f9fd979d6', uid: UID_B, via: 'message', key: 'ObjectReference' },
        { kind: 'Pod', namespace: 'kube-system', name: 'coredns-f9fd979d6-4xkqp', via: 'message', key: 'Created pod' },
      ],
    },
    {
      name: 'deployment controller event: Scaled up replica set',
      message: 'Event occurred',
      fields: { object: 'default/web', kind: 'Deployment', reason: 'ScalingReplicaSet', message: 'Scaled up replica set web-7d4b9 to 3' },
      want: [
        { kind: 'Deployment', namespace: 'default', name: 'web', via: 'field', key: 'object' },
        { kind: 'ReplicaSet', namespace: 'default', name: 'web-7d4b9', via: 'message', key: 'Scaled up replica set' },
      ],
    },
    {
      name: 'scheduler event: Successfully assigned',
      message: 'Event occurred',
      fields: { object: 'default/web-0', kind: 'Pod', reason: 'Scheduled', message: 'Successfully assigned default/web-0 to kind-worker' },
      want: [
        { kind: 'Pod', namespace: 'default', name: 'web-0', via: 'field', key: 'object' },
        { kind: 'Node', name: 'kind-worker', via: 'message', key: 'Successfully assigned' },
      ],
    },
    {
      name: 'Deleted pod without object= has no namespace',
      message: 'Event occurred',
      fields: { reason: 'SuccessfulDelete', message: 'Deleted pod: web-abc-1' },
      want: [{ kind: 'Pod', name: 'web-abc-1', via: 'message', key: 'Deleted pod' }],
    },
    {
      name: 'older scheduler lines',
      message: 'Attempting to bind default/web-0 to kind-worker',
      fields: {},
      want: [
        { kind: 'Pod', namespace: 'default', name: 'web-0', via: 'message', key: 'bind' },
        { kind: 'Node', name: 'kind-worker', via: 'message', key: 'bind' },
      ],
    },
    {
      name: 'older scheduler: unable to schedule',
      message: 'Unable to schedule default/web-0: no fit: 0/3 nodes are available: 3 Insufficient cpu.; waiting',
      fields: {},
      want: [{ kind: 'Pod', namespace: 'default', name: 'web-0', via: 'message', key: 'unschedulable' }],
    },
    {
      name: 'a pod log path in an error: namespace, name and uid',
      message: 'Unable to fetch container log stats',
      fields: { err: `failed to get fsstats for "/var/log/pods/kube-system_storage-provisioner_${UID_A}/storage-provisioner/2.log": no such file or directory`, containerName: 'storage-provisioner' },
      want: [{ kind: 'Pod', namespace: 'kube-system', name: 'storage-provisioner', uid: UID_A, via: 'message', key: 'pod log path' }],
    },
    {
      name: 'UnmountVolume names the pod by its UID only',
      message: `operationExecutor.UnmountVolume started for volume "cfg" (UniqueName: "kubernetes.io/configmap/${UID_A}-cfg") pod "${UID_A}" (UID: "${UID_A}") `,
      fields: {},
      want: [{ kind: 'Pod', uid: UID_A, via: 'message', key: 'UID' }],
    },
    {
      name: 'a static pod UID joins the one named pod',
      message: 'x',
      fields: { pod: 'kube-system/etcd-kind-control-plane', podUID: STATIC },
      want: [{ kind: 'Pod', namespace: 'kube-system', name: 'etcd-kind-control-plane', uid: STATIC, via: 'field', key: 'pod' }],
    },
    {
      name: 'two UIDs, one pod: nothing is guessed',
      message: 'x',
      fields: { pod: 'default/web-0', podUID: UID_A, event: { ID: UID_B, Type: 'ContainerDied' } },
      want: [
        { kind: 'Pod', namespace: 'default', name: 'web-0', via: 'field', key: 'pod' },
        { kind: 'Pod', uid: UID_A, via: 'field', key: 'podUID' },
        { kind: 'Pod', uid: UID_B, via: 'field', key: 'event' },
      ],
    },
    {
      name: 'one UID, two pods: nothing is guessed',
      message: 'x',
      fields: { pods: ['default/a', 'default/b'], podUID: UID_A },
      want: [
        { kind: 'Pod', namespace: 'default', name: 'a', via: 'field', key: 'pods' },
        { kind: 'Pod', namespace: 'default', name: 'b', via: 'field', key: 'pods' },
        { kind: 'Pod', uid: UID_A, via: 'field', key: 'podUID' },
      ],
    },
    {
      name: 'the same object twice is one ref (first wins)',
      message: 'Forbidden: "/api/v1/nodes/n1"',
      fields: { node: 'n1', URI: '/api/v1/nodes/n1' },
      want: [{ kind: 'Node', name: 'n1', via: 'field', key: 'node' }],
    },
    {
      name: 'empty, missing, spaced and non-UID values name nothing; logger and containerID are not objects',
      message: 'kubernetes.io/apis/x is not a path',
      fields: {
        pod: '', node: null, object: 'default/x', logger: 'a.b', containerID: 'containerd://abc', podUID: 'not-a-uid',
        deployment: 'has space/x', replicaSet: 'no-namespace', key: 'default/y', path: '/etc/kubernetes/manifests',
      },
      want: [],
    },
  ];
  for (const c of cases) assert.deepEqual(klogObjects(c.message, c.fields, c.trace), c.want, c.name);
});

test('klogObjects never produces a ref without name or uid, and never throws', () => {
  const weird: [string, Record<string, unknown>][] = [
    ['(', { pod: {}, pods: [null, 1, {}, ''], event: [] }],
    [')'.repeat(1000) + '('.repeat(1000), { object: { name: '' }, kind: 'Pod' }],
    ['/api/'.repeat(5000), { URI: '/api/v1/namespaces/' }],
    ['ObjectReference{Kind:,Name:,}', { event: 'ObjectReference{' }],
    ['Created pod: ', { message: 'Successfully assigned / to ' }],
    [`(${UID_A})_(${UID_A})`, { err: '/var/log/pods/a_b/' }],
  ];
  for (const [message, fields] of weird) {
    for (const ref of klogObjects(message, fields)) {
      assert.ok(ref.name || ref.uid, JSON.stringify(ref));
      assert.ok(ref.kind, JSON.stringify(ref));
    }
  }
});
