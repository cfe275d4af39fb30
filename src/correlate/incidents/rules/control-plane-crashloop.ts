/**
 * control-plane-crashloop: a Kubernetes service run by systemd (kubelet, kube-apiserver, etcd,
 * MicroK8s' kubelite, k3s, containerd...) keeps failing: its main process exits with a failure
 * status and systemd restarts it, until it stays up or systemd gives up (`Start request repeated
 * too quickly`). Root: the node (the host whose journal says it); the unit is named in the summary.
 *
 * Threshold: two failed exits of one unit with less than 10 minutes between them, or systemd
 * giving up. One failed exit that the restart fixes is a hiccup. A `code=killed` exit is how a
 * stop ends (systemd's SIGKILL after its stop timeout) and never counts.
 * Cause: the fatal line (klog F, etcd fatal) the host wrote within 10 s before each exit, which
 * says why. Evidence: systemd's restarts with their counter.
 */
import { addEvents, newCandidate } from '../candidate.js';
import { MINUTE, SECOND, groupBy, splitByGap } from '../group.js';
import type { SignalledEvent } from '../../../store/incident-view.js';
import type { Candidate, Rule } from '../types.js';

const GAP = 10 * MINUTE;
/** How long before an exit a fatal line of the same host still explains it. */
const FATAL_BEFORE = 10 * SECOND;
const KUBERNETES_UNIT = /kube|k8s|etcd|microk8s|k3s|rke2|containerd|crio|cri-o/;

function unitOf(e: SignalledEvent): string {
  return String(e.facts['unit']);
}

export const controlPlaneCrashloopRule: Rule = {
  kind: 'control-plane-crashloop',
  severity: 'error',
  describe: 'a Kubernetes systemd unit failing twice within 10 min, or systemd giving up on it (start limit)',
  detect(view) {
    const failures = view.signalled(['systemd-unit-failed', 'systemd-start-limit']).filter((e) => KUBERNETES_UNIT.test(unitOf(e)));
    const out: Candidate[] = [];
    for (const list of groupBy(failures, (e) => `${e.host ?? '?'} ${unitOf(e)}`).values()) {
      for (const run of splitByGap(list, GAP, (e) => e.time)) {
        const exits = run.filter((e) => e.signal === 'systemd-unit-failed');
        const gaveUp = run.some((e) => e.signal === 'systemd-start-limit');
        if (exits.length < 2 && !gaveUp) continue;
        const first = run[0]!;
        const host = first.host;
        const unit = unitOf(first);
        const root = host ? view.resolve({ kind: 'Node', name: host }, first.time) : undefined;
        const c = newCandidate('control-plane-crashloop', 'error', root, { kind: 'Node', name: host ?? unit }, '');
        addEvents(c, run, 'trigger');
        const from = first.time - FATAL_BEFORE;
        const to = run[run.length - 1]!.time;
        const sameHost = (e: SignalledEvent): boolean => e.host === host;
        // systemd's lines in `journalctl` short form have whole seconds: a fatal line stamped
        // 17:41:08.52 comes before an exit stamped 17:41:08.
        const explains = (f: SignalledEvent, x: SignalledEvent): boolean => x.time - f.time <= FATAL_BEFORE && f.time - x.time < SECOND;
        const fatals = view.signalled(['fatal-exit'], from, to + SECOND).filter((f) => sameHost(f) && exits.some((x) => explains(f, x)));
        addEvents(c, fatals, 'cause');
        const restarts = view.signalled(['systemd-restart-scheduled'], first.time, to + 5 * SECOND).filter((e) => sameHost(e) && unitOf(e) === unit);
        addEvents(c, restarts, 'evidence', false);
        const statuses = [...new Set(exits.map((e) => `${String(e.facts['status'])}/${String(e.facts['statusName'])}`))];
        const counter = Math.max(0, ...restarts.map((e) => Number(e.facts['counter'])));
        c.counts['failedExits'] = exits.length;
        c.counts['restartCounter'] = counter;
        c.notes['unit'] = `${unit}.service`;
        const why = fatals.length ? `; last fatal line: ${String(fatals[fatals.length - 1]!.facts['text']).slice(0, 200)}` : '';
        const counterText = counter ? `, systemd restart counter at ${counter}` : '';
        const gaveUpText = gaveUp ? '; systemd gave up (start request repeated too quickly)' : '';
        c.summary = `${unit}.service on ${host ?? '?'} exited ${exits.length} time${exits.length === 1 ? '' : 's'} with status ${statuses.join(', ')} in ${Math.round((to - first.time) / SECOND)} s${counterText}${gaveUpText}${why}`;
        out.push(c);
      }
    }
    return out;
  },
};
