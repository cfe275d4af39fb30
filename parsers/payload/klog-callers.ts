/**
 * Which component wrote a klog line, from its caller file (`kubelet.go:2453`) alone. Used only when
 * the envelope (file name, pod, journald identifier) says nothing: the envelope always wins.
 *
 * Only files that exist in one component's binary are listed. Shared libraries (client-go,
 * apiserver's serving and authn code, grpc, cadvisor helpers) log from the same file names in every
 * component: reflector.go, shared_informer.go, leaderelection.go, server.go, controller.go,
 * secure_serving.go, tlsconfig.go, dynamic_cafile_content.go, authentication.go, authorization.go,
 * flags.go, feature_gate.go, event.go (client-go's event recorder: the corpus has it in both the
 * controller-manager and the kubelet), healthz.go (every component serves /healthz), trace.go
 * (k8s.io/utils/trace: the apiserver's request traces, but older schedulers traced "Scheduling"
 * with it too), gc_controller.go (apiserver lease GC and the pod GC controller),
 * actual_state_of_world.go, desired_state_of_world_populator.go, reconciler.go,
 * operation_generator.go and csi_plugin.go (volume code in both the kubelet and the attach/detach
 * controller), server_linux.go (kube-proxy and kubelet both have one), generic names
 * (cache.go, store.go, get.go, handler.go, config.go, util.go, manager.go, metrics.go, ...).
 *
 * Each entry was checked against the corpus (raw-klog-1.19, the kind 1.32 bundle, compose-logs,
 * the OpenShift kubelet journal, minikube sections): no listed file appears there under another
 * component. Files not seen in the corpus are listed from the component's source tree.
 */
import type { Component } from '../../src/model/event.js';

const SCHEDULER = [
  'schedule_one.go',
  'scheduler.go',
  'generic_scheduler.go', // before 1.23
  'default_binder.go',
  'eventhandlers.go',
  'scheduling_queue.go',
  'default_preemption.go',
  'binder.go', // volumebinding plugin
  'node_tree.go',
] as const;

const KUBELET = [
  'kubelet.go',
  'kubelet_node_status.go',
  'kubelet_pods.go',
  'kubelet_volumes.go',
  'kubelet_network.go',
  'kubelet_network_linux.go',
  'kubelet_getters.go',
  'kubelet_dockershim.go',
  'kubelet_resources.go',
  'pod_workers.go',
  'prober.go',
  'prober_manager.go',
  'status_manager.go',
  'volume_manager.go',
  'reconciler_common.go',
  'reconstruct.go',
  'eviction_manager.go',
  'pod_container_deletor.go',
  'pod_startup_latency_tracker.go',
  'container_manager_linux.go',
  'qos_container_manager_linux.go',
  'node_container_manager_linux.go',
  'cgroup_manager_linux.go',
  'cpu_manager.go',
  'memory_manager.go',
  'topology_manager.go',
  'policy_none.go',
  'state_mem.go',
  'state_checkpoint.go',
  'plugin_watcher.go',
  'plugin_manager.go',
  'nodeinfomanager.go',
  'swap_util.go',
  'cri_stats_provider.go',
  'container_log_manager.go',
  'remote_runtime.go',
  'remote_image.go',
  'docker_service.go',
  'docker_server.go',
  'hostport_manager.go',
  'oom_linux.go',
  'fs_resource_analyzer.go',
  'manager_no_libpfm.go',
  'aws_credentials.go',
  'setters.go',
  'certificate_manager.go',
  'certificate_store.go',
  'nodelease.go',
  'watchdog_linux.go',
  'evented.go', // evented PLEG
  'nvidia.go',
] as const;

const PROXY = [
  'proxier.go', // iptables, ipvs and nftables proxiers
  'server_others.go', // cmd/kube-proxy before 1.28
  'conntrack.go',
  'endpointslicecache.go',
  'proxier_health.go',
  'service_health.go',
  'meta_proxier.go',
] as const;

const CONTROLLER_MANAGER = [
  'controllermanager.go',
  'replica_set.go',
  'deployment_controller.go',
  'daemon_controller.go',
  'stateful_set.go',
  'job_controller.go',
  'cronjob_controllerv2.go',
  'node_lifecycle_controller.go',
  'node_ipam_controller.go',
  'range_allocator.go',
  'taint_eviction.go',
  'garbagecollector.go',
  'graph_builder.go',
  'endpoints_controller.go',
  'endpointslice_controller.go',
  'endpointslicemirroring_controller.go',
  'namespace_controller.go',
  'serviceaccounts_controller.go',
  'tokens_controller.go',
  'resource_quota_controller.go',
  'resource_quota_monitor.go',
  'ttl_controller.go',
  'ttlafterfinished_controller.go',
  'pv_controller_base.go',
  'pv_controller.go',
  'pv_protection_controller.go',
  'pvc_protection_controller.go',
  'attach_detach_controller.go',
  'expand_controller.go',
  'horizontal.go',
  'disruption.go',
  'certificate_controller.go',
  'tokencleaner.go',
  'clusterroleaggregation_controller.go',
  'legacy_serviceaccount_token_cleaner.go',
] as const;

const APISERVER = [
  'httplog.go',
  'alloc.go',
  'cacher.go',
  'watch_cache.go',
  'storage_factory.go',
  'genericapiserver.go',
  'available_controller.go',
  'local_available_controller.go',
  'remote_available_controller.go',
  'apiservice_controller.go',
  'autoregister_controller.go',
  'crdregistration_controller.go',
  'customresource_discovery_controller.go',
  'establishing_controller.go',
  'naming_controller.go',
  'nonstructuralschema_controller.go',
  'apiapproval_controller.go',
  'crd_finalizer.go',
  'cluster_authentication_trust_controller.go',
  'storage_rbac.go',
  'storage_scheduling.go',
  'storage_flowcontrol.go',
  'apf_controller.go',
  'handler_discovery.go',
  'system_namespaces_controller.go',
  'master.go', // pkg/master before 1.20
  'instance.go', // pkg/controlplane
  'repairip.go',
  'default_servicecidr_controller.go',
  'cidrallocator.go',
  'etcd3.go',
  'compact.go',
  'policy_source.go',
  'aggregator.go',
] as const;

const TABLE: ReadonlyMap<string, Component> = new Map<string, Component>([
  ...SCHEDULER.map((f): [string, Component] => [f, 'kube-scheduler']),
  ...KUBELET.map((f): [string, Component] => [f, 'kubelet']),
  ...PROXY.map((f): [string, Component] => [f, 'kube-proxy']),
  ...CONTROLLER_MANAGER.map((f): [string, Component] => [f, 'kube-controller-manager']),
  ...APISERVER.map((f): [string, Component] => [f, 'kube-apiserver']),
]);

/** The file name of a caller: "pkg/kubelet/kubelet.go:2453" -> "kubelet.go". */
export function callerFile(caller: string): string {
  const colon = caller.lastIndexOf(':');
  const path = colon > 0 ? caller.slice(0, colon) : caller;
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? path.slice(slash + 1) : path;
}

/** Answers by caller: a process logs from a few hundred distinct lines at most. */
const memo = new Map<string, Component | null>();
const MEMO_LIMIT = 8192;

/** The component whose binary alone holds the caller's file, or undefined when it could be any. */
export function componentFromCaller(caller: string): Component | undefined {
  let known = memo.get(caller);
  if (known === undefined) {
    known = lookup(caller) ?? null;
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(caller, known);
  }
  return known ?? undefined;
}

function lookup(caller: string): Component | undefined {
  const file = callerFile(caller);
  const known = TABLE.get(file);
  if (known) return known;
  // kuberuntime_manager.go, kuberuntime_container.go, kuberuntime_sandbox.go, kuberuntime_gc.go...
  if (file.startsWith('kuberuntime_')) return 'kubelet';
  return undefined;
}

/**
 * Lines from shared code whose message names the component (leader election names its lease;
 * start-up banners), for when the caller file says nothing. This matters most for all-in-one
 * processes (MicroK8s kubelite, k3s), where the envelope names no component either. MicroK8s'
 * own daemon.go announces each component as it starts it ("Starting Scheduler").
 */
const MESSAGE_RULES: readonly (readonly [RegExp, Component])[] = [
  [/\blease kube-system\/kube-scheduler\b/, 'kube-scheduler'],
  [/\blease kube-system\/kube-controller-manager\b/, 'kube-controller-manager'],
  [/^"?Starting Kubernetes Scheduler"?/, 'kube-scheduler'],
  [/^Starting Scheduler$/, 'kube-scheduler'],
  [/^Starting Controller Manager$/, 'kube-controller-manager'],
  [/^Starting API Server$/, 'kube-apiserver'],
  [/^Starting Kubelet$|^Stopping Kubelet$/, 'kubelet'],
  [/^Starting Proxy$|^Proxy exited\b/, 'kube-proxy'],
];

/** The component a klog message names (see MESSAGE_RULES), or undefined. */
export function componentFromMessage(message: string): Component | undefined {
  for (const [re, component] of MESSAGE_RULES) if (re.test(message)) return component;
  return undefined;
}
