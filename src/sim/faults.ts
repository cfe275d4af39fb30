/**
 * The faults of the scenarios for incident kinds real clusters show (volume mounts, admission
 * webhooks, TLS, leader election, an apiserver without etcd). Each registers its incident with the
 * root the rule names and tags the lines that show it; the line forms are the real ones (see each
 * template's source).
 */
import { isoSeconds } from './format/time.js';
import { JournalChannel } from './channels.js';
import { KlogLogger } from './loggers.js';
import type { Kind, Obj, Pod } from './model.js';
import type { LeaderLease } from './behave/bootstrap.js';
import { cmLeading } from './behave/components.js';
import { rollout } from './behave/controllers.js';
import { containerDied, deletePod } from './behave/pods.js';
import { APISERVER, CONTROLLER_MANAGER, EVENTS, KUBELET, SYSTEMD } from './templates/index.js';
import { MS, SEC, type Client, type Incident, type World } from './world.js';

/** A root that is no API object (a webhook, a host:port, a component): a truth object only. */
export function namedRoot(w: World, kind: Extract<Kind, 'Webhook' | 'Host' | 'Component'>, name: string): Obj {
  const o: Obj = { uid: w.rng.uuid(), kind, name, owners: [], created: w.now, resourceVersion: 0 };
  w.objects.push(o);
  return o;
}

/** Sets the incident's root to the first pod created for it (pods get their UIDs when created). */
export function rootOnFirstPod(w: World, inc: Incident): void {
  const check = (): void => {
    const pod = w.objects.find((o) => o.kind === 'Pod' && (o as Pod).incident === inc.id);
    if (pod) inc.root = pod.uid;
    else w.after(200 * MS, check);
  };
  w.after(50 * MS, check);
}

/** A rollout of checkout whose pods mount a secret nobody created: the new pod never starts. */
export function injectVolumeMountFailure(w: World, t: number): void {
  const inc = w.incident('volume-mount-failure', '', t, w.end, ['kubelet', 'event']);
  const checkout = w.apps.find((a) => a.name === 'checkout')!;
  w.at(t, () => {
    rollout(w, w.now, checkout.deployment!, 'ghcr.io/example/checkout:1.9.0', { kind: 'missing-secret', volume: 'tls', secret: 'checkout-tls' }, inc.id);
    rootOnFirstPod(w, inc);
  });
}

const WEBHOOK = 'validate.kyverno.svc-fail';

/**
 * A validating webhook (failurePolicy Fail) whose service has no endpoints: the apiserver cannot
 * call it and refuses the Deployment a user applies, three times over a few minutes. Fewer than
 * five refusals a minute, so this is not also an apiserver answering 5xx in bulk.
 */
export function injectAdmissionWebhookFailure(w: World, t: number): void {
  const inc = w.incident('admission-webhook-failure', '', t, t + 4 * 60 * SEC, ['kube-apiserver']);
  const ip = w.nextServiceIp();
  w.at(t, () => {
    inc.root = namedRoot(w, 'Webhook', WEBHOOK).uid;
    const server = w.controlPlanes[0]!;
    for (let i = 0; i < 3; i++) {
      const at = t + i * w.rng.range(60, 75) * SEC;
      w.at(at, () => {
        const latency = w.rng.range(2, 6) * MS;
        const err = `failed calling webhook "${WEBHOOK}": failed to call webhook: Post "https://kyverno-svc.kyverno.svc:443/validate/fail?timeout=10s": dial tcp ${ip}:443: connect: connection refused`;
        server.apiserver?.f(w.now + latency - MS, APISERVER.webhookFailed, { policy: 'closed', webhook: WEBHOOK, err }, [], inc.id);
        w.api(w.now, {
          client: w.adminClient(),
          verb: 'POST',
          uri: '/apis/apps/v1/namespaces/shop/deployments?fieldManager=kubectl-client-side-apply&fieldValidation=Strict',
          code: 500,
          latency,
          objects: [],
          incident: inc.id,
          resource: 'deployments',
          namespace: 'shop',
          apiGroup: 'apps',
          server,
        });
      });
    }
  });
}

/**
 * A worker's kubelet serving certificate has expired: `kubectl logs` of a pod there fails, the
 * apiserver saying x509 and the kubelet seeing the handshake refused. Three tries.
 */
export function injectTlsFailure(w: World, t: number): void {
  const victim = w.workers[0];
  if (!victim) return;
  const host = `${victim.ip}:10250`;
  const inc = w.incident('tls-failure', '', t, t + 4 * 60 * SEC, ['kube-apiserver']);
  const notAfter = t - 3 * 60 * SEC - (t % (60 * SEC));
  w.at(t, () => {
    inc.root = namedRoot(w, 'Host', host).uid;
    const server = w.controlPlanes[0]!;
    for (let i = 0; i < 3; i++) {
      w.at(t + i * w.rng.range(60, 90) * SEC, () => {
        const pods = w.objects.filter((o): o is Pod => o.kind === 'Pod' && !o.deleted && (o as Pod).running && (o as Pod).node === victim.name && !!(o as Pod).app);
        const pod = pods.length ? w.rng.pick(pods) : undefined;
        const path = pod ? `${pod.namespace}/${pod.name}/${pod.container.name}` : 'kube-system/kube-proxy/kube-proxy';
        const url = `https://${host}/containerLogs/${path}`;
        const x509 = `x509: certificate has expired or is not yet valid: current time ${isoSeconds(w.now)} is after ${isoSeconds(notAfter)}`;
        const ptr = `0xc00${w.rng.hex(7)}`;
        const detail = w.legacy
          ? `&url.Error{Op:"Get", URL:"${url}", Err:x509.CertificateInvalidError{Cert:(*x509.Certificate)(${ptr}), Reason:1, Detail:""}}: Get "${url}": ${x509}`
          : `&url.Error{Op:"Get", URL:"${url}", Err:(*tls.CertificateVerificationError)(${ptr})}: Get "${url}": tls: failed to verify certificate: ${x509}`;
        const latency = w.rng.range(3, 9) * MS;
        victim.kubelet.f(w.now + latency / 2, KUBELET.tlsHandshake, { addr: `${server.ip}:${w.rng.range(32768, 60999)}` }, [], inc.id);
        server.apiserver?.log(w.now + latency - MS, APISERVER.notStatus, { err: `apiserver received an error that is not an metav1.Status: ${detail}`, logger: 'UnhandledError', detail }, [], inc.id);
        w.api(w.now, {
          client: w.adminClient(),
          verb: 'GET',
          uri: `/api/v1/namespaces/${pod?.namespace ?? 'kube-system'}/pods/${pod?.name ?? 'kube-proxy'}/log?container=${pod?.container.name ?? 'kube-proxy'}`,
          code: 500,
          latency,
          objects: pod ? [pod.uid] : [],
          incident: inc.id,
          resource: 'pods',
          subresource: 'log',
          namespace: pod?.namespace ?? 'kube-system',
          name: pod?.name ?? 'kube-proxy',
          server,
        });
      });
    }
  });
}

/**
 * The controller-manager's lease renewals stop getting through for 10 s (its requests time out):
 * it cannot renew, loses leader election and exits (status 1; 255 from 1.20's Fatalf); the
 * kubelet restarts it and it takes the lease again once the old one has expired.
 */
export function injectLeaderElectionLost(w: World, t: number): void {
  const cp = w.controlPlanes[0]!;
  w.at(t, () => {
    const cm = w.objects.find((o): o is Pod => o.kind === 'Pod' && (o as Pod).static && o.name === `kube-controller-manager-${cp.name}`);
    const lease = w.objects.find((o): o is LeaderLease => o.kind === 'Lease' && o.namespace === 'kube-system' && o.name === 'kube-controller-manager');
    if (!cm || !lease) return;
    const inc = w.incident('leader-election-lost', cm.uid, t, t + 60 * SEC, ['kube-controller-manager', 'kubelet']);
    lease.blockedUntil = t + 30 * SEC;
    cm.incident = inc.id;
    const name = 'kube-system/kube-controller-manager';
    const uri = `https://${cp.ip}:6443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager?timeout=5s`;
    for (let i = 0; i < 2; i++) cp.cm?.f(t + (5 + i * 2.5) * SEC, CONTROLLER_MANAGER.lockError, { lease: name, err: `Get "${uri}": context deadline exceeded` }, [lease.uid], inc.id);
    const lost = t + 10 * SEC + w.rng.int(50 * MS);
    w.at(lost, () => {
      const log = cp.cm;
      if (!log) return;
      log.f(w.now, CONTROLLER_MANAGER.renewFailed, { lease: name, err: w.legacy ? 'timed out waiting for the condition' : 'context deadline exceeded' }, [lease.uid], inc.id);
      if (w.legacy) log.f(w.now + MS, CONTROLLER_MANAGER.leaderelectionLostFatal, {}, [], inc.id);
      else log.log(w.now + MS, CONTROLLER_MANAGER.leaderelectionLost, {}, [], inc.id);
      containerDied(w, w.now + 20 * MS, cm, cm.container.id, w.legacy ? 255 : 1);
    });
    // The restarted controller-manager waits out the old lease (15 s) and leads again.
    w.at(lease.blockedUntil, () => {
      if (cp.cm) cmLeading(w, w.now, cp, `${cp.name}_${w.rng.uuid()}`, lease.uid);
    });
  });
}

const UNIT = 'kube-apiserver';
const DESCRIPTION = 'Kubernetes API Server';

/**
 * A node runs kube-apiserver from a systemd unit (a hand-built control plane: Restart=always,
 * RestartSec=5, StartLimitBurst=5 in StartLimitIntervalSec=120) pointed at an etcd that is down.
 * The binary is an old one with the etcd2 storage backend, whose etcd client says `client: etcd
 * cluster is unavailable or misconfigured`: its cachers fail to list, the service IP allocator's
 * start-up check is fatal (exit 255), systemd restarts it until it gives up. Two incidents: the
 * apiserver cannot reach etcd; the unit crash-loops under systemd.
 */
export function injectApiserverEtcdUnreachable(w: World, t: number): void {
  const node = w.workers[w.workers.length - 1];
  if (!node) return;
  const unreachable = w.incident('apiserver-etcd-unreachable', '', t, t + 150 * SEC, ['kube-apiserver']);
  const crashloop = w.incident('control-plane-crashloop', node.uid, t, t + 150 * SEC, ['other', 'kube-apiserver']);
  const err = 'client: etcd cluster is unavailable or misconfigured; error #0: dial tcp 127.0.0.1:2379: getsockopt: connection refused';
  const types = ['*api.Pod', '*api.Namespace', '*api.Service', '*api.Node', '*api.Endpoints', '*rbac.ClusterRole'];
  const sd = node.systemd;
  const objs = [node.uid];
  w.at(t, () => {
    unreachable.root = namedRoot(w, 'Component', UNIT).uid;
    let at = t;
    for (let run = 1; run <= 5; run++) {
      const pid = w.rng.range(20000, 30000);
      const log = new KlogLogger(w, new JournalChannel(node.journal, `${UNIT}[${pid}]`, null), { json: false, legacy: true, pid });
      sd.log(at, SYSTEMD.startedUnit, { unit: UNIT, description: DESCRIPTION }, objs, crashloop.id);
      // The cachers list every second or so until the allocator's check gives up (about 12 s).
      let tt = at + w.rng.range(900, 1400) * MS;
      const end = at + w.rng.range(11, 14) * SEC;
      while (tt < end) {
        for (const type of types.slice(0, w.rng.range(2, 4))) log.f(tt + w.rng.int(30 * MS), APISERVER.cacherListFailed, { type: w.rng.pick([type, ...types]), err }, [], unreachable.id);
        tt += w.rng.range(900, 1200) * MS;
      }
      log.f(end, APISERVER.ipAllocationFatal, { err }, [], crashloop.id);
      const exit = end + w.rng.range(20, 80) * MS;
      sd.log(exit, SYSTEMD.mainExited, { unit: UNIT, status: 255, statusName: 'EXCEPTION' }, objs, crashloop.id);
      sd.log(exit + MS, SYSTEMD.failedResult, { unit: UNIT }, objs, crashloop.id);
      at = exit + 5 * SEC + w.rng.int(100 * MS);
      sd.log(at, SYSTEMD.restartScheduled, { unit: UNIT, counter: run }, objs, crashloop.id);
      sd.log(at + MS, SYSTEMD.stoppedUnit, { unit: UNIT, description: DESCRIPTION }, objs, crashloop.id);
    }
    // The sixth start within the interval: systemd gives up.
    sd.log(at + 2 * MS, SYSTEMD.startLimit, { unit: UNIT }, objs, crashloop.id);
    sd.log(at + 3 * MS, SYSTEMD.failedResult, { unit: UNIT }, objs, crashloop.id);
    sd.log(at + 4 * MS, SYSTEMD.failedToStart, { unit: UNIT, description: DESCRIPTION }, objs, crashloop.id);
  });
}

/**
 * A descheduler whose RemoveDuplicates strategy disagrees with the scheduler's spreading (the
 * failure-cases capture, case C5): every minute it evicts one of web's pods, the ReplicaSet makes
 * a replacement, the scheduler places it, and the next round evicts again. Root: the Deployment.
 */
export function injectEvictionChurn(w: World, t: number): void {
  const web = w.apps.find((a) => a.name === 'web')!;
  const inc = w.incident('eviction-churn', '', t, t + 5 * 60 * SEC, ['event']);
  w.at(t, () => {
    inc.root = web.deployment!.uid;
  });
  const client: Client = {
    user: 'system:serviceaccount:kube-system:descheduler-sa',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
    agent: 'descheduler/v0.27.1 (linux/amd64) kubernetes/$Format',
    ip: w.workers[0]?.ip ?? w.controlPlanes[0]!.ip,
  };
  for (let round = 0; round < 5; round++) {
    w.at(t + round * 60 * SEC + w.rng.int(500 * MS), () => {
      const pods = w.objects.filter((o): o is Pod => o.kind === 'Pod' && !o.deleted && !(o as Pod).terminating && (o as Pod).running && (o as Pod).app === web);
      if (!pods.length) return;
      const pod = w.rng.pick(pods);
      deletePod(w, w.now, pod, 'descheduler', inc.id, client);
      w.event(w.now + 2 * MS, EVENTS.descheduled, { strategy: 'RemoveDuplicates' }, pod, inc.id, undefined, [], client);
    });
  }
}
