/**
 * Template forms the real corpus (../shared/corpus) does not show, each group with the upstream
 * source file it was taken from. The captures are mostly start-up logs at the default verbosity:
 * scenario messages (back-offs, probe failures, evictions, elections...) and v2/v3 lines
 * (binding, kube-proxy syncs, apiserver request lines) are absent from them. The realism test
 * checks that every other template appears in the corpus, that every id here is really absent
 * (no stale entries), and that this list stays short.
 */
export interface UpstreamOnly {
  /** repository and path of the source the strings come from */
  source: string;
  ids: string[];
}

export const UPSTREAM_ONLY: readonly UpstreamOnly[] = [
  {
    source: 'kubernetes/kubernetes pkg/kubelet/kubelet.go (v1.20 printf SyncLoop forms)',
    ids: ['kubelet.syncLoopAdd#legacy', 'kubelet.syncLoopUpdate#legacy', 'kubelet.syncLoopDelete#legacy', 'kubelet.syncLoopRemove#legacy', 'kubelet.syncLoopPleg#legacy'],
  },
  { source: 'kubernetes/kubernetes pkg/kubelet/pod_workers.go (v1.20)', ids: ['kubelet.errorSyncing#legacy'] },
  { source: 'kubernetes/kubernetes pkg/kubelet/prober/prober.go (v1.20)', ids: ['kubelet.probeFailed#legacy'] },
  { source: 'kubernetes/kubernetes staging/src/k8s.io/cri-client/pkg/remote_image.go', ids: ['kubelet.pullFailed'] },
  {
    source: 'kubernetes/kubernetes pkg/kubelet/images/image_manager.go',
    ids: ['event.pullFailed', 'event.errImagePull', 'event.backOffPull', 'event.imagePullBackOff'],
  },
  { source: 'kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/server/httplog/httplog.go (v1.32 keys)', ids: ['apiserver.http'] },
  { source: 'kubernetes/kubernetes pkg/controller/nodelifecycle/node_lifecycle_controller.go', ids: ['cm.nodeNotUpdated', 'event.nodeNotReady'] },
  { source: 'kubernetes/kubernetes pkg/controller/util/node/controller_utils.go', ids: ['cm.podNotReady', 'event.podNodeNotReady'] },
  { source: 'kubernetes/kubernetes pkg/controller/tainteviction/taint_eviction.go', ids: ['cm.deletingPod', 'event.taintEviction'] },
  {
    source: 'kubernetes/kubernetes pkg/controller/deployment/sync.go (and its v1.20 wording)',
    ids: ['event.scaledUp', 'event.scaledDown'],
  },
  { source: 'kubernetes/kubernetes pkg/proxy/iptables/proxier.go (v1.32, at V(2))', ids: ['proxy.syncing', 'proxy.reloading', 'proxy.syncComplete'] },
  { source: 'etcd-io/etcd server/etcdserver/util.go, pkg/traceutil/trace.go', ids: ['etcd.slowApply', 'etcd.slowApply#legacy', 'etcd.trace'] },
  { source: 'etcd-io/etcd server/etcdserver/raft.go', ids: ['etcd.heartbeatLate', 'etcd.heartbeatLate#legacy'] },
  {
    source: 'etcd-io/etcd server/mvcc/index.go, server/mvcc/kvstore_compaction.go',
    ids: ['etcd.compactIndex', 'etcd.compactIndex#legacy', 'etcd.compactDone', 'etcd.compactDone#legacy'],
  },
  {
    source: 'etcd-io/raft raft.go, node.go',
    ids: [
      'etcd.raft.lostLeader',
      'etcd.raft.lostLeader#legacy',
      'etcd.raft.changedLeader',
      'etcd.raft.changedLeader#legacy',
      'etcd.raft.higherTerm',
      'etcd.raft.higherTerm#legacy',
      'etcd.raft.castVote',
      'etcd.raft.castVote#legacy',
    ],
  },
  {
    source: 'etcd-io/etcd release-3.4 etcdserver/server.go, embed/serve.go (capnslog text; the corpus has no 3.4 capture)',
    ids: ['etcd.running#legacy', 'etcd.startingMember#legacy', 'etcd.published#legacy', 'etcd.readyToServe#legacy', 'etcd.servingSecurely#legacy'],
  },
  { source: 'coredns/coredns plugin/errors/errors.go, plugin/pkg/proxy (forward read timeout)', ids: ['coredns.upstreamError'] },
  {
    source: 'containerd/containerd internal/cri/server/images/image_pull.go, internal/cri/server/events.go',
    ids: ['containerd.pulled', 'containerd.pullFailed', 'containerd.taskOom', 'containerd.exitEvent'],
  },
  {
    source: 'kubernetes/kubernetes pkg/kubelet/kubelet.go, pkg/kubelet/volumemanager/volume_manager.go (v1.20 give-up line; the FailedMount give-up Event, one YAML line wrapped in the must-gather)',
    ids: ['kubelet.volumesTimeout#legacy', 'event.mountTimeout'],
  },
  {
    source: 'kubernetes/kubernetes release-1.5 pkg/storage/cacher.go, pkg/master/controller.go (etcd2 backend; the error text is etcd-io/etcd client/client.go ClusterError)',
    ids: ['apiserver.cacherListFailed', 'apiserver.ipAllocationFatal'],
  },
  { source: 'kubernetes/kubernetes cmd/kube-controller-manager/app/controllermanager.go (OnStoppedLeading, v1.32 and v1.20)', ids: ['cm.leaderelectionLost', 'cm.leaderelectionLostFatal'] },
  { source: 'systemd/systemd src/core/unit.c, src/core/job.c (start limit hit, the failed start job)', ids: ['systemd.startLimit', 'systemd.failedToStart'] },
];
