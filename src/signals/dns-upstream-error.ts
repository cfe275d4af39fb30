/**
 * dns-upstream-error: CoreDNS could not get an answer from its upstream: `[ERROR] plugin/errors:
 * 2 example.com. A: read udp 10.244.0.3:41413->8.8.8.8:53: i/o timeout` (also no healthy upstream,
 * connection refused, unreachable). Facts: `upstream` (host:port) when the error names it,
 * `qname` when the parser found one.
 */
import { str, type Facts, type Signal } from './types.js';

const UPSTREAM_FAILURE = /i\/o timeout|timed out|no healthy upstream|connection refused|network is unreachable|no route to host/;
const UPSTREAM = /->([\d.]+:\d+)/;

export const dnsUpstreamError: Signal = {
  name: 'dns-upstream-error',
  components: ['coredns'],
  describe: 'CoreDNS plugin/errors: its upstream timed out, refused or is unreachable',
  match(e): Facts | undefined {
    if (e.component !== 'coredns' || !e.message.startsWith('plugin/errors:')) return undefined;
    const text = str(e.fields['error']) ?? e.message;
    if (!UPSTREAM_FAILURE.test(text)) return undefined;
    const out: Facts = {};
    const upstream = UPSTREAM.exec(text)?.[1];
    const qname = str(e.fields['qname']);
    if (upstream) out['upstream'] = upstream;
    if (qname) out['qname'] = qname;
    return out;
  },
};
