/**
 * dns-servfail and dns-nxdomain: CoreDNS's query log (the `log` plugin) answering a client with
 * SERVFAIL (it could not resolve) or NXDOMAIN (no such name). Plugin lines that quote a code are
 * not answers. Facts: `qname` (lower case) and `client` (the asking IP) when the line has them.
 */
import { str, type Facts, type Signal, type SignalInput } from './types.js';

function answer(e: SignalInput, code: string): Facts | undefined {
  if (e.component !== 'coredns' || e.message.startsWith('plugin/') || !e.message.includes(code)) return undefined;
  const out: Facts = {};
  const qname = str(e.fields['qname']);
  const client = str(e.fields['client']);
  if (qname) out['qname'] = qname.toLowerCase();
  if (client) out['client'] = client;
  return out;
}

export const dnsServfail: Signal = {
  name: 'dns-servfail',
  components: ['coredns'],
  describe: 'CoreDNS answered SERVFAIL (query log)',
  match: (e) => answer(e, 'SERVFAIL'),
};

export const dnsNxdomain: Signal = {
  name: 'dns-nxdomain',
  components: ['coredns'],
  describe: 'CoreDNS answered NXDOMAIN (query log)',
  match: (e) => answer(e, 'NXDOMAIN'),
};
