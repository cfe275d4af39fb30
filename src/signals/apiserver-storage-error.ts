/**
 * apiserver-storage-error: the apiserver reports, at warning or above, that its storage failed
 * it: `"Unhandled Error" err="... etcdserver: request timed out"`, `Timeout: request did not
 * complete within requested timeout`, `post-timeout activity`, `context deadline exceeded`.
 * Facts: `timeout` (the error says the request timed out).
 */
import { messageAndErr, type Facts, type Signal } from './types.js';

const STORAGE_TEXT = /etcdserver:|Timeout: request did not complete|context deadline exceeded|post-timeout activity/;
export const TIMEOUT_TEXT = /request timed out|Timeout: request did not complete|context deadline exceeded|\bi\/o timeout\b/;

export const apiserverStorageError: Signal = {
  name: 'apiserver-storage-error',
  components: ['kube-apiserver'],
  describe: "the apiserver's own warnings that etcd failed or timed out a request",
  match(e): Facts | undefined {
    if (e.component !== 'kube-apiserver' || e.severity < 3) return undefined;
    const text = messageAndErr(e);
    return STORAGE_TEXT.test(text) ? { timeout: TIMEOUT_TEXT.test(text) } : undefined;
  },
};
