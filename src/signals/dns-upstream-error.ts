/**
 * dns-upstream-error: CoreDNS could not get an answer from its upstream: `[ERROR] plugin/errors:
 * 2 example.com. A: read udp 10.244.0.3:41413->8.8.8.8:53: i/o timeout` (also no healthy upstream,
 * connection refused, unreachable). Facts: `upstream` (host:port) when the error names it,
 * `qname` when the parser found one.
 */
import { componentSignal, presentFacts, str } from './types.js';

const UPSTREAM_FAILURE = /i\/o timeout|timed out|no healthy upstream|connection refused|network is unreachable|no route to host/;
const UPSTREAM = /->([\d.]+:\d+)/;

export const dnsUpstreamError = componentSignal('dns-upstream-error', 'coredns', 'CoreDNS plugin/errors: its upstream timed out, refused or is unreachable', (e) => {
  if (!e.message.startsWith('plugin/errors:')) return undefined;
  const text = str(e.fields['error']) ?? e.message;
  if (!UPSTREAM_FAILURE.test(text)) return undefined;
  return presentFacts({ upstream: str(UPSTREAM.exec(text)?.[1]), qname: str(e.fields['qname']) });
});
