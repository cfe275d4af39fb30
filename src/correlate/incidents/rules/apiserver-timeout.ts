/**
 * apiserver-timeout: an apiserver answering 504 or failing requests with "timed out" (its storage,
 * etcd, too slow or leaderless). Threshold and root: apiserver-failures.ts.
 */
import type { Rule } from '../types.js';
import { API_FAILURES_MIN, detectApiFailures } from './apiserver-failures.js';

export const apiserverTimeoutRule: Rule = {
  kind: 'apiserver-timeout',
  severity: 'error',
  describe: `${API_FAILURES_MIN}+ requests answered 504 / timed out on one apiserver, at most 60 s apart`,
  detect: (view) => detectApiFailures(view, 'apiserver-timeout', true),
};
