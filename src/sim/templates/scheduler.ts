/**
 * kube-scheduler messages: startup from the kind-1.32 bundle; binding and fit errors from
 * pkg/scheduler/schedule_one.go (the FitError text is framework.FitError.Error()).
 */
import { klog, klogf } from './define.js';

export const SCHEDULER = {
  selfSigned: klogf('scheduler.selfSigned', 'I', 0, 'options/serving.go:386', 'Generated self-signed cert in-memory'),
  starting: klog('scheduler.starting', 'I', 0, 'app/server.go:166', 'Starting Kubernetes Scheduler', ['version']),
  golang: klog('scheduler.golang', 'I', 0, 'app/server.go:168', 'Golang settings', ['GOGC', 'GOMAXPROCS', 'GOTRACEBACK']),
  startingController: klog('scheduler.startingController', 'I', 0, 'dynamiccertificates/configmap_cafile_content.go:205', 'Starting controller', ['name']),
  servingSecurely: klogf('scheduler.servingSecurely', 'I', 0, 'server/secure_serving.go:213', 'Serving securely on 127.0.0.1:10259'),
  tlsController: klog('scheduler.tlsController', 'I', 0, 'dynamiccertificates/tlsconfig.go:243', 'Starting DynamicServingCertificateController'),
  waitingCaches: klogf('scheduler.waitingCaches', 'I', 0, 'cache/shared_informer.go:313', 'Waiting for caches to sync for {name}'),
  cachesSynced: klogf('scheduler.cachesSynced', 'I', 0, 'cache/shared_informer.go:320', 'Caches are synced for {name}'),
  acquiring: klogf('scheduler.acquiring', 'I', 0, 'leaderelection/leaderelection.go:257', 'attempting to acquire leader lease {lease}...'),
  acquired: klogf('scheduler.acquired', 'I', 0, 'leaderelection/leaderelection.go:271', 'successfully acquired lease {lease}'),
  lockError: klogf('scheduler.lockError', 'E', 0, 'leaderelection/leaderelection.go:436', 'error retrieving resource lock {lease}: {err}'),
  bound: klog('scheduler.bound', 'I', 2, 'scheduler/schedule_one.go:314', 'Successfully bound pod to node', ['pod', 'node', 'evaluatedNodes', 'feasibleNodes']),
  noFit: klog('scheduler.noFit', 'I', 2, 'scheduler/schedule_one.go:1055', 'Unable to schedule pod; no fit; waiting', ['pod', 'err']),
};
