/**
 * etcd messages: 3.5 zap JSON (the kind-1.32 bundle, minikube, must-gather) and, for k8sVersion
 * '1.20', etcd 3.4's default capnslog text (`capn`) and `raftYYYY/MM/DD` raft lines. Slow-request,
 * trace, compaction and heartbeat warnings come from server/etcdserver/{util.go,raft.go},
 * pkg/traceutil/trace.go, server/mvcc/kvstore_compaction.go and raft/raft.go upstream.
 */
import { raftMsg, zap } from './define.js';

export const ETCD = {
  singlePort: zap('etcd.singlePort', 'warn', 'embed/config.go:689', 'Running http and grpc server on single port. This is not recommended for production.'),
  running: zap('etcd.running', 'info', 'etcdmain/etcd.go:73', 'Running: ', ['args'], { sev: 'I', pkg: 'etcdmain', text: 'etcd Version: {version}' }),
  peerListeners: zap('etcd.peerListeners', 'info', 'embed/etcd.go:128', 'configuring peer listeners', ['listen-peer-urls']),
  clientListeners: zap('etcd.clientListeners', 'info', 'embed/etcd.go:136', 'configuring client listeners', ['listen-client-urls']),
  starting: zap('etcd.starting', 'info', 'embed/etcd.go:311', 'starting an etcd server', ['etcd-version', 'git-sha', 'go-version', 'go-os', 'go-arch', 'name', 'data-dir']),
  openedBackend: zap('etcd.openedBackend', 'info', 'etcdserver/backend.go:81', 'opened backend db', ['path', 'took']),
  startingMember: zap('etcd.startingMember', 'info', 'etcdserver/raft.go:505', 'starting local member', ['local-member-id', 'cluster-id'], {
    sev: 'I',
    pkg: 'etcdserver',
    text: 'starting member {local-member-id} in cluster {cluster-id}',
  }),
  kvRestored: zap('etcd.kvRestored', 'info', 'mvcc/kvstore.go:423', 'kvstore restored', ['current-rev']),
  startingServer: zap('etcd.startingServer', 'info', 'etcdserver/server.go:873', 'starting etcd server', ['local-member-id', 'local-server-version', 'cluster-version']),
  addedMember: zap('etcd.addedMember', 'info', 'membership/cluster.go:421', 'added member', ['cluster-id', 'local-member-id', 'added-peer-id', 'added-peer-peer-urls']),
  published: zap('etcd.published', 'info', 'etcdserver/server.go:2140', 'published local member to cluster through raft', [
    'local-member-id',
    'local-member-attributes',
    'request-path',
    'cluster-id',
    'publish-timeout',
  ], { sev: 'I', pkg: 'etcdserver', text: 'published {local-member-attributes} to cluster {cluster-id}' }),
  readyToServe: zap('etcd.readyToServe', 'info', 'embed/serve.go:103', 'ready to serve client requests', [], { sev: 'I', pkg: 'embed', text: 'ready to serve client requests' }),
  servingSecurely: zap('etcd.servingSecurely', 'info', 'embed/serve.go:250', 'serving client traffic securely', ['traffic', 'address'], {
    sev: 'I',
    pkg: 'embed',
    text: 'serving client requests on {address}',
  }),
  clusterVersion: zap('etcd.clusterVersion', 'info', 'etcdserver/server.go:2675', 'cluster version is updated', ['cluster-version']),

  slowApply: zap('etcd.slowApply', 'warn', 'etcdserver/util.go:170', 'apply request took too long', ['took', 'expected-duration', 'prefix', 'request', 'response'], {
    sev: 'W',
    pkg: 'etcdserver',
    text: 'read-only range request "{request}" with result "{response}" took too long ({took}) to execute',
  }),
  trace: zap('etcd.trace', 'info', 'traceutil/trace.go:171', 'trace[{id}] {op}', ['detail', 'duration', 'start', 'end', 'steps', 'step_count']),
  heartbeatLate: zap('etcd.heartbeatLate', 'warn', 'etcdserver/raft.go:416', 'leader failed to send out heartbeat on time; took too long, leader is overloaded likely from slow disk', [
    'to',
    'heartbeat-interval',
    'expected-duration',
    'exceeded-duration',
  ], { sev: 'W', pkg: 'etcdserver', text: 'failed to send out heartbeat on time (exceeded the 100ms timeout for {exceeded-duration}, to {to})' }),
  compactIndex: zap('etcd.compactIndex', 'info', 'mvcc/index.go:214', 'compact tree index', ['revision'], { sev: 'I', pkg: 'mvcc', text: 'store.index: compact {revision}' }),
  compactDone: zap('etcd.compactDone', 'info', 'mvcc/kvstore_compaction.go:72', 'finished scheduled compaction', ['compact-revision', 'took', 'hash', 'current-db-size-bytes', 'current-db-size', 'current-db-size-in-use-bytes', 'current-db-size-in-use'], {
    sev: 'I',
    pkg: 'mvcc',
    text: 'finished scheduled compaction at {compact-revision} (took {took})',
  }),

  // Raft (logger "raft" in 3.5; raftYYYY/MM/DD INFO: in 3.4).
  switchedConf: raftMsg('etcd.raft.switchedConf', 'info', '{id} switched to configuration voters=({voters})'),
  becameFollower: raftMsg('etcd.raft.becameFollower', 'info', '{id} became follower at term {term}'),
  newRaft: raftMsg('etcd.raft.newRaft', 'info', 'newRaft {id} [peers: [], term: 0, commit: 0, applied: 0, lastindex: 0, lastterm: 0]'),
  startElection: raftMsg('etcd.raft.startElection', 'info', '{id} is starting a new election at term {term}'),
  becamePreCandidate: raftMsg('etcd.raft.becamePreCandidate', 'info', '{id} became pre-candidate at term {term}'),
  receivedPreVoteResp: raftMsg('etcd.raft.receivedPreVoteResp', 'info', '{id} received MsgPreVoteResp from {from} at term {term}'),
  becameCandidate: raftMsg('etcd.raft.becameCandidate', 'info', '{id} became candidate at term {term}'),
  receivedVoteResp: raftMsg('etcd.raft.receivedVoteResp', 'info', '{id} received MsgVoteResp from {from} at term {term}'),
  becameLeader: raftMsg('etcd.raft.becameLeader', 'info', '{id} became leader at term {term}'),
  electedLeader: raftMsg('etcd.raft.electedLeader', 'info', 'raft.node: {id} elected leader {leader} at term {term}'),
  lostLeader: raftMsg('etcd.raft.lostLeader', 'info', 'raft.node: {id} lost leader {leader} at term {term}'),
  changedLeader: raftMsg('etcd.raft.changedLeader', 'info', 'raft.node: {id} changed leader from {from} to {leader} at term {term}'),
  higherTerm: raftMsg('etcd.raft.higherTerm', 'info', '{id} [term: {term}] received a {msgType} message with higher term from {from} [term: {newTerm}]'),
  castVote: raftMsg('etcd.raft.castVote', 'info', '{id} [logterm: {logterm}, index: {index}, vote: 0] cast MsgVote for {to} [logterm: {logterm}, index: {index}] at term {term}'),
};
