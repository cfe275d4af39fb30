/**
 * kube-controller-manager messages: startup, ReplicaSet sync and "Event occurred" from the
 * kind-1.32 bundle and minikube logs; node lifecycle and taint eviction from
 * pkg/controller/nodelifecycle/node_lifecycle_controller.go and pkg/controller/tainteviction.
 */
import { klog, klogf } from './define.js';

export const CONTROLLER_MANAGER = {
  selfSigned: klogf('cm.selfSigned', 'I', 0, 'options/serving.go:386', 'Generated self-signed cert in-memory'),
  starting: klog('cm.starting', 'I', 0, 'app/controllermanager.go:185', 'Starting', ['version']),
  golang: klog('cm.golang', 'I', 0, 'app/controllermanager.go:187', 'Golang settings', ['GOGC', 'GOMAXPROCS', 'GOTRACEBACK']),
  servingSecurely: klogf('cm.servingSecurely', 'I', 0, 'server/secure_serving.go:213', 'Serving securely on 127.0.0.1:10257'),
  acquiring: klogf('cm.acquiring', 'I', 0, 'leaderelection/leaderelection.go:257', 'attempting to acquire leader lease {lease}...'),
  acquired: klogf('cm.acquired', 'I', 0, 'leaderelection/leaderelection.go:271', 'successfully acquired lease {lease}'),
  lockError: klogf('cm.lockError', 'E', 0, 'leaderelection/leaderelection.go:436', 'error retrieving resource lock {lease}: {err}'),
  renewFailed: klogf('cm.renewFailed', 'I', 0, 'leaderelection/leaderelection.go:297', 'failed to renew lease {lease}: {err}'),
  /** v1.32: logged, then klog.FlushAndExit(1) (cmd/kube-controller-manager/app/controllermanager.go). */
  leaderelectionLost: klog('cm.leaderelectionLost', 'E', 0, 'app/controllermanager.go:341', 'leaderelection lost'),
  /** v1.20: klog.Fatalf, exit status 255. */
  leaderelectionLostFatal: klogf('cm.leaderelectionLostFatal', 'F', 0, 'app/controllermanager.go:294', 'leaderelection lost'),
  eventOccurred: klog('cm.eventOccurred', 'I', 0, 'record/event.go:389', 'Event occurred', ['object', 'fieldPath', 'kind', 'apiVersion', 'type', 'reason', 'message']),
  startedController: klog('cm.startedController', 'I', 0, 'app/controllermanager.go:765', 'Started controller', ['controller']),
  waitingCaches: klogf('cm.waitingCaches', 'I', 0, 'cache/shared_informer.go:313', 'Waiting for caches to sync for {name}'),
  cachesSynced: klogf('cm.cachesSynced', 'I', 0, 'cache/shared_informer.go:320', 'Caches are synced for {name}'),
  rsStarting: klog('cm.rsStarting', 'I', 0, 'replicaset/replica_set.go:217', 'Starting controller', ['logger', 'name']),
  deployStarting: klog('cm.deployStarting', 'I', 0, 'deployment/deployment_controller.go:173', 'Starting controller', ['logger', 'controller']),
  endpointStarting: klog('cm.endpointStarting', 'I', 0, 'endpoint/endpoints_controller.go:182', 'Starting endpoint controller', ['logger']),
  nodeControllerStarting: klog('cm.nodeControllerStarting', 'I', 0, 'nodelifecycle/node_lifecycle_controller.go:477', 'Starting node controller', ['logger']),
  rsFinished: klog('cm.rsFinished', 'I', 0, 'replicaset/replica_set.go:679', 'Finished syncing', ['logger', 'kind', 'key', 'duration']),
  setPodCidr: klog('cm.setPodCidr', 'I', 0, 'ipam/range_allocator.go:428', 'Set node PodCIDR', ['logger', 'node', 'podCIDRs']),
  ipamSynced: klog('cm.ipamSynced', 'I', 0, 'ipam/range_allocator.go:247', 'Successfully synced', ['logger', 'key']),
  missingTimestamp: klog('cm.missingTimestamp', 'I', 0, 'nodelifecycle/node_lifecycle_controller.go:886', 'Missing timestamp for Node. Assuming now as a timestamp', ['logger', 'node']),
  zoneState: klog('cm.zoneState', 'I', 0, 'nodelifecycle/node_lifecycle_controller.go:1067', 'Controller detected that zone is now in new state', ['logger', 'zone', 'newState']),
  nodeNotUpdated: klog('cm.nodeNotUpdated', 'I', 2, 'nodelifecycle/node_lifecycle_controller.go:958', "Node hasn't been updated", [
    'logger',
    'node',
    'duration',
    'nodeConditionType',
    'currentCondition',
  ]),
  podNotReady: klog('cm.podNotReady', 'I', 2, 'node/controller_utils.go:151', 'Updating ready status of pod to false', ['logger', 'pod']),
  deletingPod: klog('cm.deletingPod', 'I', 0, 'tainteviction/taint_eviction.go:111', 'Deleting pod', ['logger', 'controller', 'pod']),
};
