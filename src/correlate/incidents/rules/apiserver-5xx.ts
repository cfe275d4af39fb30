/**
 * apiserver-5xx: an apiserver answering 5xx other than timeouts (500 InternalError, 503 from an
 * unavailable aggregated API...). Threshold and root: apiserver-failures.ts.
 */
import type { Rule } from '../types.js';
import { API_FAILURES_MIN, detectApiFailures } from './apiserver-failures.js';

export const apiserver5xxRule: Rule = {
  kind: 'apiserver-5xx',
  severity: 'error',
  describe: `${API_FAILURES_MIN}+ requests answered 5xx (not timeouts) on one apiserver, at most 60 s apart`,
  detect: (view) => detectApiFailures(view, 'apiserver-5xx', false),
};
