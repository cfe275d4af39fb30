/**
 * apiserver-5xx: the apiserver answered a request with a server error: its `"HTTP" verb="GET"
 * URI="/api/v1/..." latency="..." resp=504` request line, or the audit event's
 * `responseStatus.code` of 500 or more. Facts: `code`, `timeout` (504), `requestId` (the audit
 * ID that makes the HTTP line and the audit event one request, when present).
 */
import { num, str, type Facts, type Signal } from './types.js';

export const apiserver5xx: Signal = {
  name: 'apiserver-5xx',
  components: ['kube-apiserver', 'audit'],
  describe: 'a request the apiserver answered 5xx (its HTTP line or the audit event)',
  match(e): Facts | undefined {
    let code: number | undefined;
    let id: string | undefined;
    if (e.component === 'kube-apiserver' && e.message === 'HTTP') {
      code = num(e.fields['resp']);
      id = str(e.fields['audit-ID']);
    } else if (e.component === 'audit') {
      code = num(e.fields['code']);
      id = str(e.fields['auditID']);
    }
    if (code === undefined || code < 500) return undefined;
    const out: Facts = { code, timeout: code === 504 };
    if (id) out['requestId'] = id;
    return out;
  },
};
