/**
 * leader-election-lost: controllers that could not renew their lease in time and stopped
 * (`failed to renew lease ns/name: timed out waiting for the condition`, then `leaderelection
 * lost`); each exits and is restarted, and work waits until a leader is elected again. Losses
 * within two minutes of each other are one incident: they share a cause (the apiserver they renew
 * through did not answer in time), which the summary marks as inferred. Root: the first
 * controller that lost its lease (the pod that wrote the line, else its component).
 *
 * Threshold: one loss. A controller stopped on purpose releases its lease and says nothing of
 * the kind.
 */
import { describeRef, type SignalledEvent, type StoreView } from '../../../store/incident-view.js';
import { MINUTE } from '../group.js';
import type { RootRef } from '../types.js';
import { addEvents } from '../candidate.js';
import { factValues, signalRunRule, spanOf, spanText } from './signal-runs.js';

/** The pod that wrote the line (linked, else as the file's place names it), else its component. */
function loser(view: StoreView, e: SignalledEvent): RootRef {
  const pod = view.writer(e.id) ?? view.refs(e.id).find((r) => r.key === 'emitter' && r.kind === 'Pod');
  return pod ? { kind: 'Pod', namespace: pod.namespace, name: pod.name, uid: pod.uid } : { kind: 'Component', name: e.component };
}

export const leaderElectionLostRule = signalRunRule('leader-election-lost', 'warn', 'controllers losing their leader lease (failed to renew lease, leaderelection lost); losses within 2 min are one incident', {
  signals: ['leader-election-lost'],
  key: () => 'all',
  gap: 2 * MINUTE,
  qualifies: (run) => run.some((e) => e.facts['lost'] === true),
  root: (run, v) => loser(v, run.find((e) => e.facts['lost'] === true)!),
  finish: (c, run, v) => {
    const lost = run.filter((e) => e.facts['lost'] === true);
    c.counts['controllers'] = lost.length;
    c.notes['controllers'] = [...new Set(lost.map((e) => describeRef(loser(v, e))))];
    // The pods that lost it are affected: their restarts (crash loops) fold into this incident.
    // The kubelet's PLEG line of the container's exit (within a minute) says with what status.
    const exits: SignalledEvent[] = [];
    for (const e of lost) {
      const ref = loser(v, e);
      const pod = ref.kind === 'Pod' ? v.resolve(ref, e.time) : undefined;
      if (!pod) continue;
      c.affected.add(pod.id);
      const died = v.signalled(['container-died'], e.time, e.time + MINUTE).find((d) => v.links(d.id).some((l) => l.id === pod.id));
      if (died) exits.push(died);
    }
    addEvents(c, exits, 'effect', false);
    c.notes['exitCodes'] = factValues(exits, 'exitCode');
  },
  summarize: (run, c) => {
    const names = c.notes['controllers'] as string[];
    const leases = factValues(run, 'lease');
    const errs = factValues(run, 'err');
    const renew = leases.length ? `; failed to renew ${leases.length === 1 ? `lease ${leases[0]!}` : `${leases.length} leases`}${errs.length ? `: ${errs.join('; ')}` : ''}` : '';
    const shared = names.length > 1 ? ' (inferred: a shared cause, the apiserver they renew through not answering in time)' : '';
    const codes = c.notes['exitCodes'] as string[];
    const exited = codes.length ? `; the container exited with exitCode=${codes.join(', ')}` : '';
    return `${names.length} controller${names.length > 1 ? 's' : ''} lost leader election in ${spanText(spanOf(run))} and stopped: ${names.slice(0, 5).join(', ')}${names.length > 5 ? `, and ${names.length - 5} more` : ''}${renew}${exited}${shared}`;
  },
});
