/**
 * client-go lines every component writes (reflector list failures), from the kind-1.32 bundle's
 * kubelet and kube-scheduler logs.
 */
import { klog, klogf } from './define.js';

export const CLIENT_GO = {
  listFailed: klogf('clientgo.listFailed', 'W', 0, 'cache/reflector.go:569', '{source}: failed to list {type}: {err}'),
  /** In 1.20 only this line exists, unstructured: `reflector.go:127] <source>: Failed to watch ...`. */
  watchFailed: klog('clientgo.watchFailed', 'E', 0, 'cache/reflector.go:166', 'Unhandled Error', ['err', 'logger'], '{source}: Failed to watch {type}: failed to list {type}: {cause}', 'cache/reflector.go:127'),
};
