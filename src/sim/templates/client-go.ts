/**
 * client-go lines every component writes (reflector list failures), from the kind-1.32 bundle's
 * kubelet and kube-scheduler logs.
 */
import { klog, klogf } from './define.js';

export const CLIENT_GO = {
  listFailed: klogf('clientgo.listFailed', 'W', 0, 'cache/reflector.go:569', '{source}: failed to list {type}: {err}'),
  watchFailed: klog('clientgo.watchFailed', 'E', 0, 'cache/reflector.go:166', 'Unhandled Error', ['err', 'logger']),
};
