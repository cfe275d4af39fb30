/**
 * Names that say which component wrote a log: container names (kubectl --prefix, cluster-info
 * dump, CRI file names), docker compose service names, minikube section names, and the file and
 * pod names bundle discovery meets (`kube-apiserver.log`, `etcd-kind-control-plane`,
 * `kube-proxy-5sj54`). This is the one place that maps such a name to a Component.
 */
import type { Component } from '../../src/model/event.js';

/** The cluster components, longest first so that a prefix test cannot stop at a shorter one. */
const CLUSTER_NAMES: readonly (readonly [string, Component])[] = [
  ['kube-controller-manager', 'kube-controller-manager'],
  ['kube-apiserver', 'kube-apiserver'],
  ['kube-scheduler', 'kube-scheduler'],
  ['kube-proxy', 'kube-proxy'],
  ['hyperkube-kubelet', 'kubelet'],
  ['kubenswrapper', 'kubelet'], // OpenShift's kubelet wrapper
  ['coredns', 'coredns'],
  ['kubelet', 'kubelet'],
  ['etcd', 'etcd'],
];

/**
 * Sidecars and operators whose names start with a component's name but which are not that
 * component (OpenShift runs `kube-apiserver-cert-syncer`, `etcd-metrics`... beside the real one).
 */
const NOT_THE_COMPONENT = new Set([
  'operator',
  'cert-syncer',
  'cert-regeneration-controller',
  'check-endpoints',
  'insecure-readyz',
  'recovery-controller',
  'metrics',
  'readyz',
  'ensure-env-vars',
  'resources-copy',
  'autoscaler',
]);

/**
 * Writers known not to be one of the seven cluster components: their lines are 'other', which
 * stops content heuristics from guessing (a kindnet klog line calling reflector.go is no
 * apiserver line).
 */
const OTHER_NAMES = new Set([
  // minikube sections that are logs of something else
  'docker',
  'dmesg',
  'kernel',
  'last start',
  // container runtimes and the init system (journald identifiers, file names)
  'dockerd',
  'cri-dockerd',
  'containerd',
  'crio',
  'cri-o',
  'conmon',
  'runc',
  'systemd',
  'systemd-journald',
  'systemd-logind',
  'systemd-networkd',
  'systemd-resolved',
  'systemd-udevd',
  'sshd',
  'sudo',
  'cron',
  // add-ons and CNI plugins that run beside the control plane
  'storage-provisioner',
  'local-path-provisioner',
  'kindnet',
  'kindnet-cni',
  'kube-flannel',
  'flannel',
  'calico-node',
  'calico-kube-controllers',
  'cilium',
  'cilium-agent',
  'cilium-operator',
  'weave',
  'metrics-server',
  'kube-state-metrics',
  'cloud-controller-manager',
  'snapshot-controller',
  'pause',
  'serial',
  'alternatives',
  'images',
]);

/**
 * Names of all-in-one binaries: one process writes every component's lines, so the name tells
 * nothing and the content has to decide.
 */
const ALL_IN_ONE = new Set([
  'k3s',
  'k3s-server',
  'k3s-agent',
  'hyperkube',
  'k0s',
  'rke2',
  'rke2-server',
  'rke2-agent',
  // MicroK8s: apiserver, controller-manager, scheduler, kubelet and proxy in one process, under
  // the snap's service name as journald identifier.
  'kubelite',
  'microk8s.daemon-kubelite',
]);

/** An all-in-one binary (k3s, hyperkube...): its name says nothing about which component wrote. */
export function isAllInOneName(name: string): boolean {
  return ALL_IN_ONE.has(name.toLowerCase());
}

/** File-name endings that are not part of the name (`kube-apiserver.log.1.gz`). */
const FILE_SUFFIX = /(?:\.log)?(?:\.\d+)?(?:\.gz)?$/;

/**
 * The component a container, service, section, pod or file name designates: 'other' for a known
 * non-cluster writer, undefined when the name says nothing (an application container, an
 * all-in-one binary such as k3s).
 *
 * A cluster name matches exactly or as a prefix followed by `-`, `_` or `.`, so that pod names
 * (`etcd-kind-control-plane`, `coredns-668d6bf9bc-79t94`), replica names (`kube-proxy-1`) and
 * file names (`kube-apiserver.log`) are recognized; known sidecars (`kube-apiserver-cert-syncer`)
 * are not taken for the component.
 */
export function componentFromName(name: string): Component | undefined {
  if (name.length === 0 || name.length > 253) return undefined;
  const lower = name.toLowerCase().replace(FILE_SUFFIX, '');
  if (ALL_IN_ONE.has(lower)) return undefined;
  if (OTHER_NAMES.has(lower)) return 'other';
  for (const [prefix, component] of CLUSTER_NAMES) {
    if (!lower.startsWith(prefix)) continue;
    if (lower.length === prefix.length) return component;
    const sep = lower.charCodeAt(prefix.length);
    // '-' '_' '.': a pod suffix, a replica number or a file extension follows.
    if (sep !== 45 && sep !== 95 && sep !== 46) continue;
    const rest = lower.slice(prefix.length + 1);
    if (NOT_THE_COMPONENT.has(rest)) return 'other';
    return component;
  }
  // A non-cluster name with a replica or pod suffix (`kindnet-2bmbv`, `storage-provisioner-1`).
  const dash = lower.lastIndexOf('-');
  if (dash > 0) {
    const base = lower.slice(0, dash);
    if (OTHER_NAMES.has(base)) return 'other';
    const dash2 = base.lastIndexOf('-');
    if (dash2 > 0 && OTHER_NAMES.has(base.slice(0, dash2))) return 'other';
  }
  return undefined;
}
