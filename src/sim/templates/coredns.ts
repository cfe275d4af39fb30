/**
 * CoreDNS lines: startup and query log (plugin/log) from the kind bundle, minikube and the
 * coredns-querylog capture; upstream errors from plugin/errors (errors.go) with the forward
 * plugin's read timeout text (plugin/pkg/proxy).
 */
import { text } from './define.js';

export const COREDNS = {
  listen: text('coredns.listen', 'coredns', '.:53'),
  reload: text('coredns.reload', 'coredns', '[INFO] plugin/reload: Running configuration SHA512 = {sha}'),
  version: text('coredns.version', 'coredns', 'CoreDNS-{version}'),
  build: text('coredns.build', 'coredns', 'linux/amd64, go{go}, {commit}'),
  query: text('coredns.query', 'coredns', '[INFO] {client}:{port} - {qid} "{qtype} IN {name} {proto} {size} {do} {bufsize}" {rcode} {flags} {rsize} {duration}s'),
  upstreamError: text('coredns.upstreamError', 'coredns', '[ERROR] plugin/errors: 2 {name} {qtype}: read udp {src}->{upstream}: i/o timeout'),
};
