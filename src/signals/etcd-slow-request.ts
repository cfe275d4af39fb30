/**
 * etcd-slow-request: etcd took longer than it should: a request over its expected time (`apply
 * request took too long` with took/expected, marked `slow` by the parsers, traces included) or a
 * late heartbeat from the leader (`leader failed to send out heartbeat on time`, a stalled disk or
 * CPU). Facts: `tookMs` and `expectedMs` when the line gives them, `heartbeat` for the second kind,
 * `trace` for a trace line (it details a slow request already counted).
 */
import { num, str, type Facts, type Signal } from './types.js';

export const etcdSlowRequest: Signal = {
  name: 'etcd-slow-request',
  components: ['etcd'],
  describe: 'an etcd request slower than expected, or a late leader heartbeat',
  match(e): Facts | undefined {
    if (e.component !== 'etcd') return undefined;
    if (e.message.startsWith('leader failed to send out heartbeat')) return { heartbeat: true };
    if (e.fields['slow'] !== true) return undefined;
    const out: Facts = {};
    const took = num(e.fields['tookMs']);
    const expected = num(e.fields['expectedMs']);
    if (took !== undefined) out['tookMs'] = took;
    if (expected !== undefined) out['expectedMs'] = expected;
    if (e.message.startsWith('trace[')) out['trace'] = true;
    const key = str(e.fields['key']);
    if (key) out['key'] = key;
    return out;
  },
};
