/**
 * etcd-unreachable: the apiserver's etcd client cannot connect to etcd. The etcd v3 client (gRPC)
 * says `[core] [Channel #145 SubChannel #146]grpc: addrConn.createTransport failed to connect to
 * {Addr: "127.0.0.1:2379", ServerName: "127.0.0.1:2379", }. Err: connection error: desc =
 * "transport: Error while dialing: dial tcp 127.0.0.1:2379: connect: connection refused"`; the
 * etcd v2 client of older apiservers says `client: etcd cluster is unavailable or misconfigured;
 * error #0: dial tcp 127.0.0.1:2379: getsockopt: connection refused` (etcd client/client.go,
 * ClusterError.Error()). Only addresses on etcd's client port 2379 count for the first form (the
 * same gRPC line is written for any connection). An apiserver starting beside etcd logs a few for
 * a second or two; the rule decides what is too long. Facts: `endpoint`, `err` as stated.
 */
import { patternSignal } from './pattern.js';

const WRITERS = ['kube-apiserver', 'other'];

export const etcdUnreachable = patternSignal({
  name: 'etcd-unreachable',
  describe: "the apiserver's etcd client cannot connect to etcd (gRPC transport failures to :2379, etcd cluster is unavailable or misconfigured)",
  lines: [
    { components: WRITERS, re: /addrConn\.createTransport failed to connect to \{(?:Addr: )?\\*"?(?<endpoint>[^"\\\s,}]{1,253}:2379)\b[^]*?Err: (?:connection error: desc = )?\\*"?(?<err>[^]*?)\\*"?\.? ?(?:Reconnecting\.\.\.)?$/, with: [] },
    { components: WRITERS, re: /etcd cluster is unavailable or misconfigured(?:; error #0: (?<err>[^;"]*?(?<endpoint>[\w.-]{1,253}:\d{2,5})[^;"]*))?/ },
  ],
});
