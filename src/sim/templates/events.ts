/**
 * Kubernetes Event reasons and messages (core/v1 Events, as `kubectl get events -o json` lists
 * them and as the controller-manager logs them with "Event occurred"). Kubelet wording from the
 * OpenShift journal's event dumps; controller wording from pkg/controller/{replicaset,deployment,
 * nodelifecycle} and the scheduler's; image pull texts from pkg/kubelet/images/image_manager.go.
 */
import { event } from './define.js';

export const EVENTS = {
  scheduled: event('event.scheduled', 'Normal', 'Scheduled', 'Successfully assigned {ns}/{pod} to {node}', 'default-scheduler'),
  failedScheduling: event('event.failedScheduling', 'Warning', 'FailedScheduling', '{err}', 'default-scheduler'),
  pulling: event('event.pulling', 'Normal', 'Pulling', 'Pulling image "{image}"', 'kubelet'),
  pulled: event('event.pulled', 'Normal', 'Pulled', 'Successfully pulled image "{image}" in {took} ({waiting} including waiting). Image size: {size} bytes.', 'kubelet'),
  present: event('event.present', 'Normal', 'Pulled', 'Container image "{image}" already present on machine', 'kubelet'),
  created: event('event.created', 'Normal', 'Created', 'Created container: {container}', 'kubelet'),
  started: event('event.started', 'Normal', 'Started', 'Started container {container}', 'kubelet'),
  killing: event('event.killing', 'Normal', 'Killing', 'Stopping container {container}', 'kubelet'),
  pullFailed: event('event.pullFailed', 'Warning', 'Failed', 'Failed to pull image "{image}": {err}', 'kubelet'),
  errImagePull: event('event.errImagePull', 'Warning', 'Failed', 'Error: ErrImagePull', 'kubelet'),
  backOffPull: event('event.backOffPull', 'Normal', 'BackOff', 'Back-off pulling image "{image}"', 'kubelet'),
  imagePullBackOff: event('event.imagePullBackOff', 'Warning', 'Failed', 'Error: ImagePullBackOff', 'kubelet'),
  backOffRestart: event('event.backOffRestart', 'Warning', 'BackOff', 'Back-off restarting failed container {container} in pod {pod}_{ns}({uid})', 'kubelet'),
  unhealthy: event('event.unhealthy', 'Warning', 'Unhealthy', '{probe} probe failed: {output}', 'kubelet'),
  nodeStatus: event('event.nodeStatus', 'Normal', '{reason}', 'Node {node} status is now: {reason}', 'kubelet'),
  starting: event('event.starting', 'Normal', 'Starting', 'Starting kubelet.', 'kubelet'),
  successfulCreate: event('event.successfulCreate', 'Normal', 'SuccessfulCreate', 'Created pod: {pod}', 'replicaset-controller'),
  successfulDelete: event('event.successfulDelete', 'Normal', 'SuccessfulDelete', 'Deleted pod: {pod}', 'replicaset-controller'),
  scaledUp: event('event.scaledUp', 'Normal', 'ScalingReplicaSet', 'Scaled up replica set {rs} from {from} to {to}', 'deployment-controller', 'Scaled up replica set {rs} to {to}'),
  scaledDown: event('event.scaledDown', 'Normal', 'ScalingReplicaSet', 'Scaled down replica set {rs} from {from} to {to}', 'deployment-controller', 'Scaled down replica set {rs} to {to}'),
  nodeNotReady: event('event.nodeNotReady', 'Normal', 'NodeNotReady', 'Node {node} status is now: NodeNotReady', 'node-controller'),
  podNodeNotReady: event('event.podNodeNotReady', 'Warning', 'NodeNotReady', 'Node is not ready', 'node-controller'),
  taintEviction: event('event.taintEviction', 'Normal', 'TaintManagerEviction', 'Marking for deletion Pod {ns}/{pod}', 'taint-eviction-controller'),
  registeredNode: event('event.registeredNode', 'Normal', 'RegisteredNode', 'Node {node} event: Registered Node {node} in Controller', 'node-controller'),
  failedMount: event('event.failedMount', 'Warning', 'FailedMount', 'MountVolume.SetUp failed for volume "{volume}" : {err}', 'kubelet'),
  mountTimeout: event('event.mountTimeout', 'Warning', 'FailedMount', 'Unable to attach or mount volumes: unmounted volumes=[{volumes}], unattached volumes=[{unattached}]: {err}', 'kubelet'),
  /** The descheduler's eviction Event (failure-cases), its reason the strategy. */
  descheduled: event('event.descheduled', 'Normal', '{strategy}', 'pod evicted by sigs.k8s.io/descheduler', 'sigs.k8s.io.descheduler'),
  leaderElection: event('event.leaderElection', 'Normal', 'LeaderElection', '{holder} became leader', '{component}'),
};
