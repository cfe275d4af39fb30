/**
 * kube-apiserver messages. Startup lines and `allocated clusterIPs` from the kind-1.32 bundle; the
 * `HTTP` request line from raw-klog-1.19 (1.32 adds audit-ID and APF keys: httplog/httplog.go);
 * `Trace[...]` blocks from component-base/tracing (utiltrace) and `compacted rev` from
 * storage/etcd3/compact.go.
 */
import { klog, klogf, text } from './define.js';

export const APISERVER = {
  addFlags: klogf('apiserver.addFlags', 'W', 0, 'featuregate/registry.go:256', 'calling componentGlobalsRegistry.AddFlags more than once, the registry will be set by the latest flags'),
  externalHost: klogf('apiserver.externalHost', 'I', 0, 'options/options.go:238', 'external host was not specified, using {ip}'),
  version: klogf('apiserver.version', 'I', 0, 'app/server.go:143', 'Version: {version}'),
  golang: klog('apiserver.golang', 'I', 0, 'app/server.go:145', 'Golang settings', ['GOGC', 'GOMAXPROCS', 'GOTRACEBACK']),
  reconciler: klogf('apiserver.reconciler', 'I', 0, 'controlplane/instance.go:233', 'Using reconciler: lease'),
  addGroupVersion: klogf('apiserver.addGroupVersion', 'I', 0, 'handler/handler.go:286', 'Adding GroupVersion {group} {version} to ResourceManager'),
  skipApi: klogf('apiserver.skipApi', 'W', 0, 'server/genericapiserver.go:767', 'Skipping API {gv} because it has no resources.'),
  servingSecurely: klogf('apiserver.servingSecurely', 'I', 0, 'server/secure_serving.go:213', 'Serving securely on [::]:6443'),
  startingController: klog('apiserver.startingController', 'I', 0, 'dynamiccertificates/dynamic_cafile_content.go:161', 'Starting controller', ['name']),
  waitingCaches: klogf('apiserver.waitingCaches', 'I', 0, 'cache/shared_informer.go:313', 'Waiting for caches to sync for {name}'),
  cachesSynced: klogf('apiserver.cachesSynced', 'I', 0, 'cache/shared_informer.go:320', 'Caches are synced for {name}'),
  quotaEvaluator: klogf('apiserver.quotaEvaluator', 'I', 0, 'resourcequota/controller.go:615', 'quota admission added evaluator for: {resource}'),
  priorityClass: klogf('apiserver.priorityClass', 'I', 0, 'rest/storage_scheduling.go:95', 'created PriorityClass {name} with value {value}'),
  allocatedIPs: klog('apiserver.allocatedIPs', 'I', 0, 'ipallocator/alloc.go:330', 'allocated clusterIPs', ['service', 'clusterIPs']),
  resetEndpoints: klogf('apiserver.resetEndpoints', 'W', 0, 'reconcilers/lease.go:265', 'Resetting endpoints for master service "kubernetes" to [{ips}]'),

  /** v1.32 request log (httplog at -v=3). */
  http: klog('apiserver.http', 'I', 3, 'httplog/httplog.go:134', 'HTTP', [
    'verb',
    'URI',
    'latency',
    'userAgent',
    'audit-ID',
    'srcIP',
    'apf_pl',
    'apf_fs',
    'apf_iseats',
    'apf_fseats',
    'apf_additionalLatency',
    'apf_execution_time',
    'resp',
  ]),
  /** The 1.19/1.20 request log: fewer keys. */
  http120: klog('apiserver.http120', 'I', 3, 'httplog/httplog.go:89', 'HTTP', ['verb', 'URI', 'latency', 'userAgent', 'srcIP', 'resp']),
  unhandled: klog('apiserver.unhandled', 'E', 0, 'finisher/finisher.go:175', 'Unhandled Error', ['err', 'logger'], 'apiserver received an error that is not an metav1.Status: {detail}', 'responsewriters/status.go:71'),
  /** A response error that is no Status (a kubelet's connection failing): responsewriters/status.go. */
  notStatus: klog('apiserver.notStatus', 'E', 0, 'responsewriters/status.go:71', 'Unhandled Error', ['err', 'logger'], 'apiserver received an error that is not an metav1.Status: {detail}'),
  /** An admission webhook the apiserver cannot call (validating/dispatcher.go; the MicroK8s journal). */
  webhookFailed: klogf('apiserver.webhookFailed', 'W', 0, 'validating/dispatcher.go:217', 'Failed calling webhook, failing {policy} {webhook}: {err}'),
  /**
   * The etcd v2 client's error as apiservers with the etcd2 storage backend wrote it (Kubernetes
   * up to 1.12; etcd client/client.go ClusterError): the cacher's list failing, then the service
   * IP allocator's start-up check, which is fatal.
   */
  cacherListFailed: klogf('apiserver.cacherListFailed', 'E', 0, 'storage/cacher.go:260', 'unexpected ListAndWatch error: pkg/storage/cacher.go:201: Failed to list {type}: {err}'),
  ipAllocationFatal: klogf('apiserver.ipAllocationFatal', 'F', 0, 'master/controller.go:128', 'Unable to perform initial IP allocation check: unable to refresh the service IP block: {err}'),
  compacted: klogf('apiserver.compacted', 'I', 0, 'etcd3/compact.go:160', 'etcd: compacted rev ({rev}), endpoints ({endpoints})'),

  /** Trace blocks: a klog header line, then lines without header (folded by parsers). */
  traceHeader: klogf('apiserver.traceHeader', 'I', 0, 'trace/trace.go:236', 'Trace[{id}]: "{op}" {fields} ({start}) (total time: {total}ms):'),
  traceStep: text('apiserver.traceStep', 'plain', 'Trace[{id}]: ---"{step}" {ms}ms ({clock})'),
  traceEnd: text('apiserver.traceEnd', 'plain', 'Trace[{id}]: [{total}] [{total}] END'),
};
