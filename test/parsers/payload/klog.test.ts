import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { klogParser } from '../../../parsers/payload/klog.js';
import type { PartialTime, PayloadResult } from '../../../parsers/types.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';

function pt(month: number, day: number, hour: number, minute: number, second: number, micros: number): PartialTime {
  return { month, day, hour, minute, second, micros };
}

const UID_A = '3e843632-6ff0-4a3c-b453-fb0485688c7c';
const STATIC = '3358bb4775586f16aa5b3234bff5f1b6';

/** Each case: the event's lines (header first) and the exact result. */
const CASES: { name: string; lines: string[]; want: PayloadResult }[] = [
  {
    name: 'unstructured apiserver line (1.19)',
    lines: ['I1119 11:57:01.957428    4178 storage_flowcontrol.go:168] Created suggested FlowSchema system-nodes'],
    want: {
      format: 'klog', severity: 'info', caller: 'storage_flowcontrol.go:168', message: 'Created suggested FlowSchema system-nodes',
      fields: {}, objects: [], pid: 4178, partialTime: pt(11, 19, 11, 57, 1, 957428), hasZone: false, component: 'kube-apiserver',
    },
  },
  {
    name: 'apiserver HTTP line: typed values and the URI object',
    lines: ['I1119 11:57:01.944880    4178 httplog.go:89] "HTTP" verb="GET" URI="/api/v1/namespaces/kube-system/pods/etcd-m1/status?timeout=5s" latency="18.33121ms" userAgent="kubelet/v1.19.4 (linux/arm64) kubernetes/d360454" srcIP="192.168.168.122:37248" resp=200'],
    want: {
      format: 'klog', severity: 'info', caller: 'httplog.go:89', message: 'HTTP',
      fields: {
        verb: 'GET', URI: '/api/v1/namespaces/kube-system/pods/etcd-m1/status?timeout=5s', latency: '18.33121ms',
        userAgent: 'kubelet/v1.19.4 (linux/arm64) kubernetes/d360454', srcIP: '192.168.168.122:37248', resp: 200,
      },
      objects: [{ kind: 'Pod', namespace: 'kube-system', name: 'etcd-m1', via: 'uri', key: 'URI' }],
      pid: 4178, partialTime: pt(11, 19, 11, 57, 1, 944880), hasZone: false, component: 'kube-apiserver',
    },
  },
  {
    name: 'kubelet error: err first, Go escapes, old name_ns(uid) in the err merged with pod= and podUID=',
    lines: ['E0523 08:07:20.992141    2689 pod_workers.go:1301] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"kube-rbac-proxy-crio\\" with CrashLoopBackOff: \\"back-off 10s restarting failed container=kube-rbac-proxy-crio pod=kube-rbac-proxy-crio-m0_openshift-machine-config-operator(3358bb4775586f16aa5b3234bff5f1b6)\\"" pod="openshift-machine-config-operator/kube-rbac-proxy-crio-m0" podUID="3358bb4775586f16aa5b3234bff5f1b6"'],
    want: {
      format: 'klog', severity: 'error', caller: 'pod_workers.go:1301', message: 'Error syncing pod, skipping',
      fields: {
        err: 'failed to "StartContainer" for "kube-rbac-proxy-crio" with CrashLoopBackOff: "back-off 10s restarting failed container=kube-rbac-proxy-crio pod=kube-rbac-proxy-crio-m0_openshift-machine-config-operator(3358bb4775586f16aa5b3234bff5f1b6)"',
        pod: 'openshift-machine-config-operator/kube-rbac-proxy-crio-m0',
        podUID: STATIC,
      },
      objects: [{ kind: 'Pod', namespace: 'openshift-machine-config-operator', name: 'kube-rbac-proxy-crio-m0', uid: STATIC, via: 'field', key: 'pod' }],
      pid: 2689, partialTime: pt(5, 23, 8, 7, 20, 992141), hasZone: false, component: 'kubelet',
    },
  },
  {
    name: 'kubelet PLEG event as JSON',
    lines: ['I0523 08:07:14.965797    2689 kubelet.go:2453] "SyncLoop (PLEG): event for pod" pod="openshift-vsphere-infra/keepalived-m0" event={"ID":"f86dcb44b17454a379b992b4ce659225","Type":"ContainerDied","Data":"395f76631ca9"}'],
    want: {
      format: 'klog', severity: 'info', caller: 'kubelet.go:2453', message: 'SyncLoop (PLEG): event for pod',
      fields: { pod: 'openshift-vsphere-infra/keepalived-m0', event: { ID: 'f86dcb44b17454a379b992b4ce659225', Type: 'ContainerDied', Data: '395f76631ca9' } },
      objects: [{ kind: 'Pod', namespace: 'openshift-vsphere-infra', name: 'keepalived-m0', uid: 'f86dcb44b17454a379b992b4ce659225', via: 'field', key: 'pod' }],
      pid: 2689, partialTime: pt(5, 23, 8, 7, 14, 965797), hasZone: false, component: 'kubelet',
    },
  },
  {
    name: 'kubelet PLEG event as Go %+v (older releases), kept as text',
    lines: [`I0301 10:00:00.000001    1234 kubelet.go:2100] "SyncLoop (PLEG): event for pod" pod="kube-system/kube-proxy-5sj54" event=&{ID:${UID_A} Type:ContainerStarted Data:4d1f}`],
    want: {
      format: 'klog', severity: 'info', caller: 'kubelet.go:2100', message: 'SyncLoop (PLEG): event for pod',
      fields: { pod: 'kube-system/kube-proxy-5sj54', event: `&{ID:${UID_A} Type:ContainerStarted Data:4d1f}` },
      objects: [{ kind: 'Pod', namespace: 'kube-system', name: 'kube-proxy-5sj54', uid: UID_A, via: 'field', key: 'pod' }],
      pid: 1234, partialTime: pt(3, 1, 10, 0, 0, 1), hasZone: false, component: 'kubelet',
    },
  },
  {
    name: 'kubelet volume line: UniqueName and (UID: ...) joined to pod=',
    lines: [`I0321 14:51:27.301190     785 reconciler_common.go:251] "operationExecutor.VerifyControllerAttachedVolume started for volume \\"kube-proxy\\" (UniqueName: \\"kubernetes.io/configmap/${UID_A}-kube-proxy\\") pod \\"kube-proxy-5sj54\\" (UID: \\"${UID_A}\\") " pod="kube-system/kube-proxy-5sj54"`],
    want: {
      format: 'klog', severity: 'info', caller: 'reconciler_common.go:251',
      message: `operationExecutor.VerifyControllerAttachedVolume started for volume "kube-proxy" (UniqueName: "kubernetes.io/configmap/${UID_A}-kube-proxy") pod "kube-proxy-5sj54" (UID: "${UID_A}") `,
      fields: { pod: 'kube-system/kube-proxy-5sj54' },
      objects: [{ kind: 'Pod', namespace: 'kube-system', name: 'kube-proxy-5sj54', uid: UID_A, via: 'field', key: 'pod' }],
      pid: 785, partialTime: pt(3, 21, 14, 51, 27, 301190), hasZone: false, component: 'kubelet',
    },
  },
  {
    name: 'older unstructured kubelet volume line: name and uid from the message',
    lines: [`I0608 18:48:23.457413    4390 operation_generator.go:663] MountVolume.SetUp succeeded for volume "kube-proxy" (UniqueName: "kubernetes.io/configmap/${UID_A}-kube-proxy") pod "kube-proxy-5sj54" (UID: "${UID_A}")`],
    want: {
      format: 'klog', severity: 'info', caller: 'operation_generator.go:663',
      message: `MountVolume.SetUp succeeded for volume "kube-proxy" (UniqueName: "kubernetes.io/configmap/${UID_A}-kube-proxy") pod "kube-proxy-5sj54" (UID: "${UID_A}")`,
      fields: {},
      objects: [{ kind: 'Pod', name: 'kube-proxy-5sj54', uid: UID_A, via: 'message', key: 'UID' }],
      pid: 4390, partialTime: pt(6, 8, 18, 48, 23, 457413), hasZone: false,
    },
  },
  {
    name: 'older kubelet SyncLoop line: name_namespace(uid)',
    lines: [`I0608 18:48:23.457413    4390 kubelet.go:1926] SyncLoop (PLEG): "coredns-5644d7b6d9-abcde_kube-system(${UID_A})", event: &pleg.PodLifecycleEvent{ID:"${UID_A}", Type:"ContainerStarted", Data:"abc"}`],
    want: {
      format: 'klog', severity: 'info', caller: 'kubelet.go:1926',
      message: `SyncLoop (PLEG): "coredns-5644d7b6d9-abcde_kube-system(${UID_A})", event: &pleg.PodLifecycleEvent{ID:"${UID_A}", Type:"ContainerStarted", Data:"abc"}`,
      fields: {},
      objects: [{ kind: 'Pod', namespace: 'kube-system', name: 'coredns-5644d7b6d9-abcde', uid: UID_A, via: 'message', key: 'name_namespace(uid)' }],
      pid: 4390, partialTime: pt(6, 8, 18, 48, 23, 457413), hasZone: false, component: 'kubelet',
    },
  },
  {
    name: 'static pod: a 32-hex podID alone gives a uid-only Pod ref; containerID stays a field',
    lines: [`I0523 08:07:14.965740    2689 generic.go:334] "Generic (PLEG): container finished" podID="${STATIC}" containerID="cri-o://395f76631ca9" exitCode=0`],
    want: {
      format: 'klog', severity: 'info', caller: 'generic.go:334', message: 'Generic (PLEG): container finished',
      fields: { podID: STATIC, containerID: 'cri-o://395f76631ca9', exitCode: 0 },
      objects: [{ kind: 'Pod', uid: STATIC, via: 'field', key: 'podID' }],
      pid: 2689, partialTime: pt(5, 23, 8, 7, 14, 965740), hasZone: false,
    },
  },
  {
    name: 'kubelet SyncLoop ADD: a JSON list of pods',
    lines: ['I0523 08:07:11.057799    2689 kubelet.go:2421] "SyncLoop ADD" source="file" pods=["openshift-vsphere-infra/coredns-m0","openshift-vsphere-infra/haproxy-m0"]'],
    want: {
      format: 'klog', severity: 'info', caller: 'kubelet.go:2421', message: 'SyncLoop ADD',
      fields: { source: 'file', pods: ['openshift-vsphere-infra/coredns-m0', 'openshift-vsphere-infra/haproxy-m0'] },
      objects: [
        { kind: 'Pod', namespace: 'openshift-vsphere-infra', name: 'coredns-m0', via: 'field', key: 'pods' },
        { kind: 'Pod', namespace: 'openshift-vsphere-infra', name: 'haproxy-m0', via: 'field', key: 'pods' },
      ],
      pid: 2689, partialTime: pt(5, 23, 8, 7, 11, 57799), hasZone: false, component: 'kubelet',
    },
  },
  {
    name: "the scheduler's old bound line",
    lines: ['I0608 18:48:23.457413       1 scheduler.go:604] pod density-30/x-1 is bound successfully on node "n1", 500 nodes evaluated, 2 nodes were found feasible.'],
    want: {
      format: 'klog', severity: 'info', caller: 'scheduler.go:604',
      message: 'pod density-30/x-1 is bound successfully on node "n1", 500 nodes evaluated, 2 nodes were found feasible.',
      fields: {},
      objects: [
        { kind: 'Pod', namespace: 'density-30', name: 'x-1', via: 'message', key: 'bound' },
        { kind: 'Node', name: 'n1', via: 'message', key: 'bound' },
      ],
      pid: 1, partialTime: pt(6, 8, 18, 48, 23, 457413), hasZone: false, component: 'kube-scheduler',
    },
  },
  {
    name: "the scheduler's structured bound line",
    lines: ['I0321 14:51:44.700000       1 schedule_one.go:314] "Successfully bound pod to node" pod="kube-system/coredns-668d6bf9bc-79t94" node="kind-control-plane" evaluatedNodes=1 feasibleNodes=1'],
    want: {
      format: 'klog', severity: 'info', caller: 'schedule_one.go:314', message: 'Successfully bound pod to node',
      fields: { pod: 'kube-system/coredns-668d6bf9bc-79t94', node: 'kind-control-plane', evaluatedNodes: 1, feasibleNodes: 1 },
      objects: [
        { kind: 'Pod', namespace: 'kube-system', name: 'coredns-668d6bf9bc-79t94', via: 'field', key: 'pod' },
        { kind: 'Node', name: 'kind-control-plane', via: 'field', key: 'node' },
      ],
      pid: 1, partialTime: pt(3, 21, 14, 51, 44, 700000), hasZone: false, component: 'kube-scheduler',
    },
  },
  {
    name: 'controller-manager event: object+kind and the pod it created',
    lines: ['I0321 14:51:32.300000       1 event.go:389] "Event occurred" object="kube-system/kube-proxy" fieldPath="" kind="DaemonSet" apiVersion="apps/v1" type="Normal" reason="SuccessfulCreate" message="Created pod: kube-proxy-5sj54" logger="daemonset-controller"'],
    want: {
      format: 'klog', severity: 'info', caller: 'event.go:389', message: 'Event occurred',
      fields: {
        object: 'kube-system/kube-proxy', fieldPath: '', kind: 'DaemonSet', apiVersion: 'apps/v1', type: 'Normal',
        reason: 'SuccessfulCreate', message: 'Created pod: kube-proxy-5sj54', logger: 'daemonset-controller',
      },
      objects: [
        { kind: 'DaemonSet', namespace: 'kube-system', name: 'kube-proxy', via: 'field', key: 'object' },
        { kind: 'Pod', namespace: 'kube-system', name: 'kube-proxy-5sj54', via: 'message', key: 'Created pod' },
      ],
      pid: 1, partialTime: pt(3, 21, 14, 51, 32, 300000), hasZone: false,
    },
  },
  {
    name: 'controller-manager: kind= with key=, replicaSet= and deployment=',
    lines: ['I0321 14:51:32.399865       1 replica_set.go:679] "Finished syncing" logger="replicaset-controller" kind="ReplicaSet" key="kube-system/coredns-668d6bf9bc" duration="228.163105ms" deployment="kube-system/coredns" replicaSet="kube-system/coredns-668d6bf9bc"'],
    want: {
      format: 'klog', severity: 'info', caller: 'replica_set.go:679', message: 'Finished syncing',
      fields: {
        logger: 'replicaset-controller', kind: 'ReplicaSet', key: 'kube-system/coredns-668d6bf9bc', duration: '228.163105ms',
        deployment: 'kube-system/coredns', replicaSet: 'kube-system/coredns-668d6bf9bc',
      },
      objects: [
        { kind: 'ReplicaSet', namespace: 'kube-system', name: 'coredns-668d6bf9bc', via: 'field', key: 'key' },
        { kind: 'Deployment', namespace: 'kube-system', name: 'coredns', via: 'field', key: 'deployment' },
      ],
      pid: 1, partialTime: pt(3, 21, 14, 51, 32, 399865), hasZone: false, component: 'kube-controller-manager',
    },
  },
  {
    name: "kube-proxy's old service port line",
    lines: ['I0608 18:48:23.457413       1 service.go:306] Adding new service port "kube-system/kube-dns:dns-tcp" at 10.96.0.10:53/TCP'],
    want: {
      format: 'klog', severity: 'info', caller: 'service.go:306', message: 'Adding new service port "kube-system/kube-dns:dns-tcp" at 10.96.0.10:53/TCP',
      fields: {}, objects: [{ kind: 'Service', namespace: 'kube-system', name: 'kube-dns', via: 'message', key: 'service port' }],
      pid: 1, partialTime: pt(6, 8, 18, 48, 23, 457413), hasZone: false,
    },
  },
  {
    name: 'apiserver allocation: service= and a JSON map',
    lines: ['I0321 14:51:27.202678       1 alloc.go:330] "allocated clusterIPs" service="kube-system/kube-dns" clusterIPs={"IPv4":"10.96.0.10"}'],
    want: {
      format: 'klog', severity: 'info', caller: 'alloc.go:330', message: 'allocated clusterIPs',
      fields: { service: 'kube-system/kube-dns', clusterIPs: { IPv4: '10.96.0.10' } },
      objects: [{ kind: 'Service', namespace: 'kube-system', name: 'kube-dns', via: 'field', key: 'service' }],
      pid: 1, partialTime: pt(3, 21, 14, 51, 27, 202678), hasZone: false, component: 'kube-apiserver',
    },
  },
  {
    name: 'older apiserver request line',
    lines: ['I0129 10:05:10.123456       1 wrap.go:47] GET /api/v1/namespaces/default/pods/web-1: (1.2ms) 200 [kubectl/v1.15.0 (linux/amd64) 10.0.0.1:5000]'],
    want: {
      format: 'klog', severity: 'info', caller: 'wrap.go:47', message: 'GET /api/v1/namespaces/default/pods/web-1: (1.2ms) 200 [kubectl/v1.15.0 (linux/amd64) 10.0.0.1:5000]',
      fields: {}, objects: [{ kind: 'Pod', namespace: 'default', name: 'web-1', via: 'uri', key: 'message' }],
      pid: 1, partialTime: pt(1, 29, 10, 5, 10, 123456), hasZone: false,
    },
  },
  {
    name: 'apiserver trace block: continuation kept apart, trace urls searched',
    lines: [
      'I0129 10:05:10.123456       1 trace.go:205] Trace[1230574341]: "Update" url:/apis/apps/v1/namespaces/default/deployments/web/status,user-agent:kube-controller-manager/v1.19.4,client:10.0.0.1 (29-Jan-2021 10:05:09.476) (total time: 647ms):',
      'Trace[1230574341]: ---"Object stored in database" 646ms (10:05:00.123)',
      'Trace[1230574341]: [647.123ms] [647.000ms] END',
    ],
    want: {
      format: 'klog', severity: 'info', caller: 'trace.go:205',
      message: 'Trace[1230574341]: "Update" url:/apis/apps/v1/namespaces/default/deployments/web/status,user-agent:kube-controller-manager/v1.19.4,client:10.0.0.1 (29-Jan-2021 10:05:09.476) (total time: 647ms):',
      fields: { continuation: 'Trace[1230574341]: ---"Object stored in database" 646ms (10:05:00.123)\nTrace[1230574341]: [647.123ms] [647.000ms] END' },
      objects: [{ kind: 'Deployment', namespace: 'default', name: 'web', via: 'uri', key: 'message' }],
      pid: 1, partialTime: pt(1, 29, 10, 5, 10, 123456), hasZone: false,
    },
  },
  {
    name: 'a panic and its stack',
    lines: [
      'E0129 10:05:10.123456       1 runtime.go:78] Observed a panic: "invalid memory address or nil pointer dereference" (runtime error: invalid memory address or nil pointer dereference)',
      'goroutine 1 [running]:',
      'k8s.io/apimachinery/pkg/util/runtime.logPanic(0x3a5b2e0, 0x6f6d4a0)',
      '\t/workspace/vendor/k8s.io/apimachinery/pkg/util/runtime/runtime.go:74 +0x95',
      'panic(0x3a5b2e0, 0x6f6d4a0)',
      '\t/usr/local/go/src/runtime/panic.go:969 +0x1b9',
      'main.main()',
      '',
      'goroutine 7 [chan receive]:',
      'created by k8s.io/client-go/tools/cache.(*processorListener).run',
      '',
    ],
    want: {
      format: 'klog', severity: 'error', caller: 'runtime.go:78',
      message: 'Observed a panic: "invalid memory address or nil pointer dereference" (runtime error: invalid memory address or nil pointer dereference)',
      fields: {
        continuation: [
          'goroutine 1 [running]:',
          'k8s.io/apimachinery/pkg/util/runtime.logPanic(0x3a5b2e0, 0x6f6d4a0)',
          '\t/workspace/vendor/k8s.io/apimachinery/pkg/util/runtime/runtime.go:74 +0x95',
          'panic(0x3a5b2e0, 0x6f6d4a0)',
          '\t/usr/local/go/src/runtime/panic.go:969 +0x1b9',
          'main.main()',
          '',
          'goroutine 7 [chan receive]:',
          'created by k8s.io/client-go/tools/cache.(*processorListener).run',
        ].join('\n'),
      },
      objects: [], pid: 1, partialTime: pt(1, 29, 10, 5, 10, 123456), hasZone: false,
    },
  },
  {
    name: 'a key=< block (journald shows its tab as eight spaces) followed by ` > key2="v"`',
    lines: [
      'I0321 14:51:27.205928     785 swap_util.go:115] "Swap is on" /proc/swaps contents=<',
      '        Filename                                Type',
      '        /dev/sdb                                partition',
      ' > source="procfs" n=2',
    ],
    want: {
      format: 'klog', severity: 'info', caller: 'swap_util.go:115', message: 'Swap is on',
      fields: {
        '/proc/swaps contents': 'Filename                                Type\n/dev/sdb                                partition',
        source: 'procfs', n: 2,
      },
      objects: [], pid: 785, partialTime: pt(3, 21, 14, 51, 27, 205928), hasZone: false, component: 'kubelet',
    },
  },
  {
    name: 'Go escapes in the message, nested JSON, %+v struct and map, (MISSING)',
    lines: ['W0101 00:00:00.000000       7 thing.go:1] "Say \\"hi\\"\\tcaf\\u00e9\\x21" spec={"a":{"b":["}",2]}} st=&{Name:x Namespace:y} m=map[IPv4:10.96.0.10] lonely=(MISSING)'],
    want: {
      format: 'klog', severity: 'warn', caller: 'thing.go:1', message: 'Say "hi"\tcafé!',
      fields: { spec: { a: { b: ['}', 2] } }, st: '&{Name:x Namespace:y}', m: 'map[IPv4:10.96.0.10]', lonely: null },
      objects: [], pid: 7, partialTime: pt(1, 1, 0, 0, 0, 0), hasZone: false,
    },
  },
  {
    name: 'a quoted phrase followed by prose is an unstructured message',
    lines: ['I0101 00:00:00.000000       1 x.go:1] "kube-system" namespace is not ready yet'],
    want: {
      format: 'klog', severity: 'info', caller: 'x.go:1', message: '"kube-system" namespace is not ready yet',
      fields: {}, objects: [], pid: 1, partialTime: pt(1, 1, 0, 0, 0, 0), hasZone: false,
    },
  },
  {
    name: 'fatal, with an empty message',
    lines: ['F1231 23:59:59.999999   12345 server.go:1] '],
    want: {
      format: 'klog', severity: 'fatal', caller: 'server.go:1', message: '', fields: {}, objects: [],
      pid: 12345, partialTime: pt(12, 31, 23, 59, 59, 999999), hasZone: false,
    },
  },
  {
    name: 'no fraction, a single-digit pid, a caller with its directory',
    lines: ['W0101 00:00:00 1 pkg/a/b.go:1] no fraction'],
    want: {
      format: 'klog', severity: 'warn', caller: 'pkg/a/b.go:1', message: 'no fraction', fields: {}, objects: [],
      pid: 1, partialTime: pt(1, 1, 0, 0, 0, 0), hasZone: false,
    },
  },
  {
    name: 'nanosecond and short fractions',
    lines: ['I0229 12:30:45.123456789    42 a.go:9] nanos'],
    want: {
      format: 'klog', severity: 'info', caller: 'a.go:9', message: 'nanos', fields: {}, objects: [],
      pid: 42, partialTime: pt(2, 29, 12, 30, 45, 123456), hasZone: false,
    },
  },
  {
    name: 'an impossible date keeps the line but gives no time',
    lines: ['I1399 12:30:45.5    42 a.go:9] month 13'],
    want: { format: 'klog', severity: 'info', caller: 'a.go:9', message: 'month 13', fields: {}, objects: [], pid: 42 },
  },
  {
    name: 'healthz failure and its [-] lines',
    lines: [
      'I1119 11:57:01.944753    4178 healthz.go:243] healthz check failed: poststarthook/rbac/bootstrap-roles',
      '[-]poststarthook/rbac/bootstrap-roles failed: not finished',
    ],
    want: {
      format: 'klog', severity: 'info', caller: 'healthz.go:243', message: 'healthz check failed: poststarthook/rbac/bootstrap-roles',
      fields: { continuation: '[-]poststarthook/rbac/bootstrap-roles failed: not finished' },
      objects: [], pid: 4178, partialTime: pt(11, 19, 11, 57, 1, 944753), hasZone: false,
    },
  },
  {
    name: 'Flag deprecation line (before logging is set up)',
    lines: ["Flag --cluster-dns has been deprecated, This parameter should be set via the config file specified by the Kubelet's --config flag."],
    want: {
      format: 'klog', severity: 'warn', message: "Flag --cluster-dns has been deprecated, This parameter should be set via the config file specified by the Kubelet's --config flag.",
      fields: { flag: '--cluster-dns' }, objects: [],
    },
  },
  {
    name: 'klog file header: created at',
    lines: ['Log file created at: 2025/08/11 10:05:04'],
    want: { format: 'klog', severity: 'info', message: 'Log file created at: 2025/08/11 10:05:04', fields: {}, objects: [], time: Date.UTC(2025, 7, 11, 10, 5, 4) * 1000, hasZone: false },
  },
  {
    name: 'klog file header: machine',
    lines: ['Running on machine: ip-172-31-6-21'],
    want: { format: 'klog', severity: 'info', message: 'Running on machine: ip-172-31-6-21', fields: {}, objects: [], host: 'ip-172-31-6-21' },
  },
  {
    name: "go-runner's standard log line and its follow-ups",
    lines: ['2024/08/22 16:18:53 Running command:', 'Command env: (log-file=, also-stdout=false, redirect-stderr=true)', 'Run from directory: '],
    want: {
      format: 'klog', severity: 'info', message: 'Running command:',
      fields: { continuation: 'Command env: (log-file=, also-stdout=false, redirect-stderr=true)\nRun from directory: ' },
      objects: [], time: Date.UTC(2024, 7, 22, 16, 18, 53) * 1000, hasZone: false,
    },
  },
];

test('klog events parse to exactly these results', () => {
  for (const c of CASES) {
    assert.equal(klogParser.matches(c.lines[0]!), true, `matches: ${c.name}`);
    for (let i = 1; i < c.lines.length; i++) {
      const text = c.lines[i]!;
      assert.equal(klogParser.matches(text), false, `continuation line matched: ${c.name}: ${text}`);
      assert.equal(klogParser.continues!(text, c.lines.slice(0, i)), true, `continues: ${c.name}: ${text}`);
    }
    assert.deepEqual(klogParser.parse(c.lines, {}), c.want, c.name);
  }
});

test('matches: klog headers and start-up lines, nothing else', () => {
  const yes = [
    'I0608 18:48:23.457413       1 proxier.go:800] Syncing iptables rules',
    'E0523 08:07:10.882582    2689 event.go:359] "Server rejected event (will not retry!)"',
    'W0101 00:00:00 1 a.go:1] no fraction',
    'Flag shorthand -x has been deprecated, use --y',
    'Log line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg',
    'Binary: Built with gc go1.24.0 for linux/amd64',
    '2024/08/22 16:18:53 running command: exit status 1',
  ];
  const no = [
    '{"level":"info","ts":"2025-03-21T14:51:23.344605Z","logger":"raft","msg":"became leader"}',
    '{"ts":1678412345123.456,"caller":"a/b.go:1","msg":"x","v":0}',
    '2021-05-26 01:55:29.382834 I | etcdserver: published',
    'raft2021/05/26 01:55:29 INFO: e58c878e0e01014 became leader at term 2',
    '[INFO] 10.244.0.5:52345 - 12345 "A IN web.default.svc.cluster.local. udp 60 false 512" NOERROR qr,aa,rd 106 0.000123s',
    'time="2024-08-22T18:19:08+02:00" level=warning msg="x"',
    '2025-03-21T14:51:23.344949051Z stderr F I0321 14:51:23.344949 1 a.go:1] x',
    'I0608 18:48:23.457413       1 no-closing-bracket',
    'Iabc',
    'Flag --x is fine',
    'Log file rotated',
    '',
    'goroutine 1 [running]:',
  ];
  for (const t of yes) assert.equal(klogParser.matches(t), true, t);
  for (const t of no) assert.equal(klogParser.matches(t), false, t);
});

test('continues: header-less lines after a klog event, except starts of other formats', () => {
  const header = 'I0101 00:00:00.000000       1 a.go:1] x';
  const yes = [
    '\t/usr/local/go/src/runtime/panic.go:969 +0x1b9',
    ' >',
    'Trace[1230574341]: ---"About to write a response" 647ms',
    'goroutine 1 [running]:',
    'panic: runtime error: index out of range',
    'created by k8s.io/x.(*y).run',
    'main.foo(...)',
    '[-]poststarthook/rbac/bootstrap-roles failed: not finished',
    'podIP = 172.19.0.7',
  ];
  const no = [
    '{"level":"info","ts":"2025-03-21T14:51:23.344605Z"}',
    'I0101 00:00:00.000000 cut header',
    'May 23 08:07:10 ite-ocp-2rk9g-master-0 systemd[1]: Started Kubernetes Kubelet.',
    '2025-03-21T14:51:23.344949051Z stderr F hello',
    '2021-05-26 01:55:29.382834 I | etcdserver: published',
  ];
  for (const t of yes) assert.equal(klogParser.continues!(t, [header]), true, t);
  for (const t of no) assert.equal(klogParser.continues!(t, [header]), false, t);
  // Inside an open block even a line that looks like JSON belongs to the block.
  assert.equal(klogParser.continues!('{"a":1}', [`${header} k=<`]), true);
  // A blank line folds only into an event that already has continuations (a stack).
  assert.equal(klogParser.continues!('', [header]), false);
  assert.equal(klogParser.continues!('', [header, 'goroutine 1 [running]:']), true);
  assert.equal(klogParser.continues!('x', []), false);
});

test('parse never throws on garbage and keeps the text', () => {
  const garbage = ['', '\u0000\u0001', 'x'.repeat(200_000), 'I0101 00:00:00.000000 1 a.go:1] "' + '\\'.repeat(10_001), '\uffff]'];
  for (const g of garbage) {
    const r = klogParser.parse([g, g], {});
    assert.equal(r.format, 'klog');
    assert.equal(typeof r.message, 'string');
  }
  assert.deepEqual(klogParser.parse(['not klog at all'], {}), { format: 'klog', severity: 'info', message: 'not klog at all', fields: {}, objects: [] });
});

// ---- corpus ----

const CRI_PREFIX = /^\S+ (?:stdout|stderr) [FP] /;
const COMPOSE_PREFIX = /^\S+-\d+ +\| /;
const KLOG_LOOKING = /^[IWEF]\d{4} /;

function readLines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** Folds the lines as the pipeline would; counts lines neither matched nor continuing. */
function fold(lines: readonly string[]): { events: string[][]; orphans: string[]; total: number } {
  const events: string[][] = [];
  const orphans: string[] = [];
  let pending: string[] | undefined;
  let total = 0;
  for (const line of lines) {
    if (line === '') {
      if (pending && klogParser.continues!(line, pending)) pending.push(line);
      continue;
    }
    total++;
    if (klogParser.matches(line)) {
      if (pending) events.push(pending);
      pending = [line];
    } else if (pending && klogParser.continues!(line, pending)) {
      pending.push(line);
    } else {
      orphans.push(line);
    }
  }
  if (pending) events.push(pending);
  return { events, orphans, total };
}

function corpusSources(): { name: string; lines: string[] }[] {
  const out: { name: string; lines: string[] }[] = [];
  for (const f of readdirSync(corpus('raw-klog-1.19'))) {
    if (f.endsWith('.log')) out.push({ name: `raw-klog-1.19/${f}`, lines: readLines(corpus('raw-klog-1.19', f)) });
  }
  for (const f of readdirSync(corpus('compose-logs'))) {
    if (!f.endsWith('.log')) continue;
    // Only the services' lines: the first line of each file is docker compose's own warning.
    const lines = readLines(corpus('compose-logs', f)).filter((l) => COMPOSE_PREFIX.test(l)).map((l) => l.replace(COMPOSE_PREFIX, ''));
    out.push({ name: `compose-logs/${f}`, lines });
  }
  const containers = corpus('kind-1.32-bundle', 'kind-control-plane', 'containers');
  for (const f of readdirSync(containers)) {
    if (!f.startsWith('kube-')) continue;
    out.push({ name: `kind containers/${f.slice(0, 40)}`, lines: readLines(`${containers}/${f}`).map((l) => l.replace(CRI_PREFIX, '')) });
  }
  return out;
}

test('corpus: every klog line matches and parses; almost every line is claimed', { skip: corpusSkip() }, () => {
  let total = 0;
  let orphans = 0;
  const sources = corpusSources();
  assert.ok(sources.length >= 10, `expected the corpus files, found ${sources.length}`);
  for (const source of sources) {
    for (const line of source.lines) {
      if (KLOG_LOOKING.test(line)) assert.equal(klogParser.matches(line), true, `${source.name}: ${line.slice(0, 120)}`);
    }
    const folded = fold(source.lines);
    total += folded.total;
    orphans += folded.orphans.length;
    for (const event of folded.events) {
      const r = klogParser.parse(event, {});
      assert.equal(r.format, 'klog');
      // A structured line whose pairs could not all be read would show here.
      assert.equal(r.fields['unparsed'], undefined, `${source.name}: ${event[0]!.slice(0, 160)}`);
    }
  }
  assert.ok(total > 27_000, `corpus lines read: ${total}`);
  assert.ok(orphans / total <= 0.005, `${orphans} of ${total} lines neither matched nor continued`);
});

test('corpus: kubelet lines that name a pod UID yield a Pod ref with that UID', { skip: corpusSkip() }, () => {
  const journals: [string, RegExp][] = [
    [corpus('kind-1.32-bundle', 'kind-control-plane', 'kubelet.log'), /^.*? kubelet\[\d+\]: /],
    [corpus('openshift-kubelet-journal', 'kubelet_230525.log'), /^.*? kubenswrapper\[\d+\]: /],
  ];
  // kind's kubelet.log has no podUID= line at all (v1.32 logs pod= alone there): its UIDs are in
  // the volume lines' `(UID: "...")`. Both forms are checked, in both journals.
  const uidOf = /podUID="([0-9a-f-]+)"|\(UID: \\"([0-9a-f-]+)\\"\)/;
  let checked = 0;
  let podUidLines = 0;
  for (const [path, prefix] of journals) {
    const payloads = readLines(path).filter((l) => prefix.test(l)).map((l) => l.replace(prefix, ''));
    const { events } = fold(payloads);
    for (const event of events) {
      const m = uidOf.exec(event[0]!);
      if (!m) continue;
      const uid = m[1] ?? m[2]!;
      if (m[1]) podUidLines++;
      const r = klogParser.parse(event, {});
      const pod = r.objects.find((o) => o.kind === 'Pod' && o.uid === uid);
      assert.ok(pod, `no Pod ref with uid ${uid}: ${event[0]!.slice(0, 200)}`);
      if (event[0]!.includes(' pod="')) assert.ok(pod.name, `the uid was not joined to pod=: ${event[0]!.slice(0, 200)}`);
      checked++;
    }
  }
  assert.ok(podUidLines > 0, 'no podUID= line found in the journals');
  assert.ok(checked >= 40, `only ${checked} lines checked`);
});
