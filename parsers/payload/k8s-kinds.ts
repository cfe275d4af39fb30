/**
 * Kubernetes resource names (the plural, lower-case path segment of a request URI, an etcd key or an
 * audit objectRef) to the Kind the API uses. Shared by the klog, etcd, audit and apiserver parsers,
 * which all meet resources and must name objects the same way for the correlator to join them.
 */

/** Built-in resources of the API groups a cluster serves out of the box. */
const KINDS: Readonly<Record<string, string>> = {
  // core/v1
  bindings: 'Binding',
  componentstatuses: 'ComponentStatus',
  configmaps: 'ConfigMap',
  endpoints: 'Endpoints',
  events: 'Event',
  limitranges: 'LimitRange',
  namespaces: 'Namespace',
  nodes: 'Node',
  minions: 'Node', // etcd stores nodes under /registry/minions/
  persistentvolumeclaims: 'PersistentVolumeClaim',
  persistentvolumes: 'PersistentVolume',
  pods: 'Pod',
  podtemplates: 'PodTemplate',
  replicationcontrollers: 'ReplicationController',
  controllers: 'ReplicationController', // etcd: /registry/controllers/
  resourcequotas: 'ResourceQuota',
  secrets: 'Secret',
  serviceaccounts: 'ServiceAccount',
  services: 'Service',
  // apps, batch, autoscaling, policy
  controllerrevisions: 'ControllerRevision',
  daemonsets: 'DaemonSet',
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet',
  cronjobs: 'CronJob',
  jobs: 'Job',
  horizontalpodautoscalers: 'HorizontalPodAutoscaler',
  poddisruptionbudgets: 'PodDisruptionBudget',
  podsecuritypolicies: 'PodSecurityPolicy',
  // coordination, discovery, networking, node, scheduling, events
  leases: 'Lease',
  endpointslices: 'EndpointSlice',
  ingresses: 'Ingress',
  ingressclasses: 'IngressClass',
  networkpolicies: 'NetworkPolicy',
  ipaddresses: 'IPAddress',
  servicecidrs: 'ServiceCIDR',
  runtimeclasses: 'RuntimeClass',
  priorityclasses: 'PriorityClass',
  // rbac, authn/authz
  clusterrolebindings: 'ClusterRoleBinding',
  clusterroles: 'ClusterRole',
  rolebindings: 'RoleBinding',
  roles: 'Role',
  tokenreviews: 'TokenReview',
  selfsubjectreviews: 'SelfSubjectReview',
  subjectaccessreviews: 'SubjectAccessReview',
  selfsubjectaccessreviews: 'SelfSubjectAccessReview',
  selfsubjectrulesreviews: 'SelfSubjectRulesReview',
  localsubjectaccessreviews: 'LocalSubjectAccessReview',
  certificatesigningrequests: 'CertificateSigningRequest',
  clustertrustbundles: 'ClusterTrustBundle',
  // storage
  csidrivers: 'CSIDriver',
  csinodes: 'CSINode',
  csistoragecapacities: 'CSIStorageCapacity',
  storageclasses: 'StorageClass',
  volumeattachments: 'VolumeAttachment',
  volumeattributesclasses: 'VolumeAttributesClass',
  // admission, extension, flow control, resource
  mutatingwebhookconfigurations: 'MutatingWebhookConfiguration',
  validatingwebhookconfigurations: 'ValidatingWebhookConfiguration',
  validatingadmissionpolicies: 'ValidatingAdmissionPolicy',
  validatingadmissionpolicybindings: 'ValidatingAdmissionPolicyBinding',
  mutatingadmissionpolicies: 'MutatingAdmissionPolicy',
  mutatingadmissionpolicybindings: 'MutatingAdmissionPolicyBinding',
  customresourcedefinitions: 'CustomResourceDefinition',
  apiservices: 'APIService',
  flowschemas: 'FlowSchema',
  prioritylevelconfigurations: 'PriorityLevelConfiguration',
  storageversions: 'StorageVersion',
  storageversionmigrations: 'StorageVersionMigration',
  resourceclaims: 'ResourceClaim',
  resourceclaimtemplates: 'ResourceClaimTemplate',
  resourceslices: 'ResourceSlice',
  deviceclasses: 'DeviceClass',
};

/** A Map, not the object literal, for look-ups: log text could name "constructor" or "__proto__". */
const BY_RESOURCE: ReadonlyMap<string, string> = new Map(Object.entries(KINDS));

/** The same table keyed by the lower-cased Kind, so that a singular ("pod", "replicaset") works too. */
const BY_LOWER_KIND: ReadonlyMap<string, string> = new Map(
  Object.values(KINDS).map((kind) => [kind.toLowerCase(), kind]),
);

/**
 * "pods" -> "Pod", "replicasets.apps" -> "ReplicaSet", "ReplicaSet" -> "ReplicaSet". The group
 * suffix (".apps") is dropped. A resource the table does not know (a custom resource) gets a
 * best-effort Kind: the plural made singular and capitalized ("widgets" -> "Widget",
 * "policies" -> "Policy"); the real Kind of a CRD cannot be known from its resource name alone.
 */
export function kindFromResource(resource: string): string {
  const dot = resource.indexOf('.');
  const plain = (dot < 0 ? resource : resource.slice(0, dot)).toLowerCase();
  if (plain === '') return '';
  const known = BY_RESOURCE.get(plain) ?? BY_LOWER_KIND.get(plain);
  if (known !== undefined) return known;
  return capitalize(singular(plain));
}

function singular(plural: string): string {
  if (plural.endsWith('ies') && plural.length > 3) return plural.slice(0, -3) + 'y';
  if (/(?:ss|us|x|ch|sh)es$/.test(plural)) return plural.slice(0, -2);
  // "status", "class", "analysis" are already singular.
  if (plural.endsWith('s') && !/(?:ss|us|is)$/.test(plural)) return plural.slice(0, -1);
  return plural;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Node',
  'Namespace',
  'PersistentVolume',
  'ComponentStatus',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'VolumeAttachment',
  'CSINode',
  'CSIDriver',
  'IngressClass',
  'PriorityClass',
  'RuntimeClass',
  'CustomResourceDefinition',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'CertificateSigningRequest',
  'ClusterTrustBundle',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'PodSecurityPolicy',
  'IPAddress',
  'ServiceCIDR',
  'VolumeAttributesClass',
  'DeviceClass',
  'ResourceSlice',
  'StorageVersion',
  'StorageVersionMigration',
]);


/** True for kinds that never have a namespace (Node, Namespace, ClusterRole...). */
export function isClusterScopedKind(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}
