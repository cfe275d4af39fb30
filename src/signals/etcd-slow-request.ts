/**
 * etcd-slow-request: etcd took longer than it should: a request over its expected time (`apply
 * request took too long` with took/expected, marked `slow` by the parsers, traces included) or a
 * late heartbeat from the leader (`leader failed to send out heartbeat on time`, a stalled disk or
 * CPU). Facts: `tookMs` and `expectedMs` when the line gives them, `heartbeat` for the second kind,
 * `trace` for a trace line (it details a slow request already counted).
 */
import { componentSignal, num, presentFacts, str } from './types.js';

export const etcdSlowRequest = componentSignal('etcd-slow-request', 'etcd', 'an etcd request slower than expected, or a late leader heartbeat', (e) => {
  if (e.message.startsWith('leader failed to send out heartbeat')) return { heartbeat: true };
  if (e.fields['slow'] !== true) return undefined;
  return presentFacts({
    tookMs: num(e.fields['tookMs']),
    expectedMs: num(e.fields['expectedMs']),
    trace: e.message.startsWith('trace[') ? true : undefined,
    key: str(e.fields['key']),
  });
});
