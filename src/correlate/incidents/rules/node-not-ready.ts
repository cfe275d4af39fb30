/**
 * node-not-ready: a node stops reporting and the control plane gives up on it. Root: the Node.
 *
 * Triggers come from the node lifecycle controller, which only acts after the node missed its
 * heartbeats for the grace period (40 s by default): `"Node hasn't been updated" node=...`, the
 * Event `NodeNotReady: Node x status is now: NodeNotReady` it records on the Node, and its log
 * line of that Event. The kubelet's own "Node became not ready" is evidence only: a kubelet says it
 * at every boot until the network plugin is up, which is start-up, not a fault. One controller
 * trigger is enough, since the grace period already filtered out blips.
 *
 * The cause chain follows the outage through the cluster:
 *  1. what stopped on the node just before (systemd stopping kubelet.service, the kubelet's last
 *     errors), as causes;
 *  2. the NotReady itself, and its pods marked not ready (`"Updating ready status of pod to
 *     false"`, Event `NodeNotReady: Node is not ready` on each pod);
 *  3. the evictions (`"Deleting pod"` from the taint-eviction controller, Event
 *     `TaintManagerEviction`, the DELETE in audit);
 *  4. the replacements the evicted pods' controllers created, scheduled and started elsewhere.
 * Steps 2-4 are effects; each eviction and rescheduling is a cause-chain step.
 */
import { addEvents, newCandidate } from '../candidate.js';
import { MINUTE, SECOND, groupBy, splitByGap } from '../group.js';
import { asKubeEvent } from '../kube-events.js';
import { nameField, refField } from '../pod-ref.js';
import { nodeOfPod } from '../pod-placement.js';
import type { EventRow, ObjectRow, StoreView } from '../../../store/incident-view.js';
import { describeRef, STORY_COMPONENTS } from '../../../store/incident-view.js';
import type { Candidate, Rule } from '../types.js';
import { minOf } from '../../../util/extent.js';

/** A node that comes back and fails again after 10 quiet minutes is a new incident. */
const GAP = 10 * MINUTE;
/** How far before NotReady the node's own lines may say why (grace period plus slack). */
const CAUSE_LOOKBACK = 3 * MINUTE;
/** Evictions follow NotReady after the pods' toleration (300 s by default): allow for it. */
const EVICTION_WINDOW = 10 * MINUTE;
/** A replacement is created within moments of the eviction, and started within minutes. */
const REPLACEMENT_WINDOW = 2 * MINUTE;

interface NodeSignal {
  event: EventRow;
  node: string;
}

function nodeTriggers(view: StoreView): NodeSignal[] {
  const out: NodeSignal[] = [];
  for (const e of view.signalled(['node-not-ready'])) {
    if (e.facts['event'] !== true) {
      const node = nameField(e.fields['node']);
      if (node) out.push({ event: e, node });
      continue;
    }
    // The same Event reason is recorded about the node's pods: only the Node's own is the trigger.
    const k = asKubeEvent(view, e);
    if (k?.involved?.kind === 'Node' && k.involved.name) out.push({ event: e, node: k.involved.name });
  }
  return out;
}

/** Pods the node controller marked not ready, and the evictions, of one node, in a window. */
interface PodFate {
  pod: ObjectRow;
  notReady: EventRow[];
  evicted: EventRow[];
}

function podFates(view: StoreView, node: string, from: number, to: number, otherNodesDown: boolean): Map<number, PodFate> {
  const fates = new Map<number, PodFate>();
  const fate = (pod: ObjectRow): PodFate => {
    let f = fates.get(pod.id);
    if (!f) fates.set(pod.id, (f = { pod, notReady: [], evicted: [] }));
    return f;
  };
  // When another node is down at the same time, a pod line that names no node is only ours if the
  // pod was placed on our node.
  const ours = (pod: ObjectRow, time: number): boolean => !otherNodesDown || nodeOfPod(view, pod, time) === node;
  // The controller-manager's lines first (marked not ready, deleted), then the Events it recorded.
  for (const e of view.signalled(['pod-marked-not-ready', 'object-deleted'], from, to)) {
    if (e.component !== 'kube-controller-manager' || e.facts['event'] === true || (e.signal === 'object-deleted' && e.facts['by'] !== 'controller')) continue;
    const ref = refField(e.fields['pod']);
    const pod = ref ? view.objectOf(e, 'Pod', ref) : undefined;
    if (!pod || !ours(pod, e.time)) continue;
    if (e.signal === 'object-deleted') fate(pod).evicted.push(e);
    else fate(pod).notReady.push(e);
  }
  // NodeNotReady on each pod, and the taint manager's evictions ("Cancelling deletion of Pod", the
  // node coming back in time, is no pod-evicted signal).
  for (const e of view.signalled(['pod-marked-not-ready', 'pod-evicted'], from, to)) {
    if (e.facts['event'] !== true) continue;
    const k = asKubeEvent(view, e);
    if (!k || k.involved?.kind !== 'Pod' || (e.signal === 'pod-evicted' && k.reason !== 'TaintManagerEviction')) continue;
    const pod = view.objectOf(k.row, 'Pod', k.involved);
    if (!pod || !ours(pod, k.row.time)) continue;
    if (e.signal === 'pod-evicted') fate(pod).evicted.push(k.row);
    else fate(pod).notReady.push(k.row);
  }
  return fates;
}

function buildIncident(view: StoreView, node: string, triggers: NodeSignal[], otherNodesDown: boolean): Candidate {
  const first = triggers[0]!.event;
  const nodeObj = view.objectOf(first, 'Node', { name: node });
  const c = newCandidate('node-not-ready', 'error', nodeObj, { kind: 'Node', name: node }, `node ${node} is NotReady`);
  addEvents(c, triggers.map((t) => t.event), 'trigger');
  c.causeChain.push({ kind: 'node-not-ready', objectUid: nodeObj?.uid ?? null, object: `node/${node}`, time: first.time, summary: `node ${node} stopped posting status: NotReady` });

  // 1. What went down on the node itself.
  const from = first.time - CAUSE_LOOKBACK;
  const goingDown = new Set(view.signalled(['node-going-down'], from, first.time).filter((e) => e.host === node).map((e) => e.id));
  const causes = view
    .events(`e.host = ? AND e.time BETWEEN ? AND ? AND (e.component = 'other' OR (e.component = 'kubelet' AND e.severity >= 3))`, [node, from, first.time])
    .filter((e) => e.component === 'kubelet' || goingDown.has(e.id));
  addEvents(c, causes, 'cause', true);
  const stop = causes.find((e) => goingDown.has(e.id));
  if (stop) c.causeChain.push({ kind: 'node-down', objectUid: nodeObj?.uid ?? null, object: `node/${node}`, time: stop.time, summary: stop.message });

  // The node's own lines around the outage (status patches, the kubelet's NotReady...).
  if (nodeObj) {
    const lines = view.eventsAbout(nodeObj.id, first.time - CAUSE_LOOKBACK, triggers[triggers.length - 1]!.event.time + EVICTION_WINDOW, STORY_COMPONENTS);
    addEvents(c, lines, 'evidence', false);
  }

  // 2-3. Its pods: marked not ready, then evicted.
  const fates = podFates(view, node, first.time - 10 * SECOND, triggers[triggers.length - 1]!.event.time + EVICTION_WINDOW, otherNodesDown);
  let evictions = 0;
  let rescheduled = 0;
  for (const f of fates.values()) {
    c.affected.add(f.pod.id);
    addEvents(c, f.notReady, 'effect', true);
    if (f.evicted.length === 0) continue;
    evictions++;
    addEvents(c, f.evicted, 'effect', true);
    const at = minOf(f.evicted.map((e) => e.time));
    // The evicted pod's own lines around its deletion (the DELETE, its status patches).
    addEvents(c, view.eventsAbout(f.pod.id, at - 10 * SECOND, at + MINUTE, STORY_COMPONENTS), 'effect', false);
    c.causeChain.push({ kind: 'eviction', objectUid: f.pod.uid, object: describeRef(f.pod), time: at, summary: `${describeRef(f.pod)} evicted from node ${node}` });
    // 4. Its replacement: created by the same controller right after, scheduled elsewhere.
    const controller = view.owners(f.pod.id)[0];
    if (!controller) continue;
    for (const r of view.owned(controller.id)) {
      if (r.id === f.pod.id || r.kind !== 'Pod' || r.firstSeen === null) continue;
      if (r.firstSeen < at - 5 * SECOND || r.firstSeen > at + REPLACEMENT_WINDOW) continue;
      rescheduled++;
      c.affected.add(r.id);
      const story = view.eventsAbout(r.id, r.firstSeen - 5 * SECOND, r.firstSeen + REPLACEMENT_WINDOW, STORY_COMPONENTS);
      addEvents(c, story, 'effect', true);
      // The controller's "Created pod: <replacement>" line is about the controller: add it too.
      addEvents(c, view.eventsAbout(controller.id, at - 5 * SECOND, r.firstSeen + 5 * SECOND, STORY_COMPONENTS), 'effect', false);
      const where = nodeOfPod(view, r, r.firstSeen + REPLACEMENT_WINDOW);
      const bound = story.find((e) => e.component === 'kube-scheduler' || e.fields['reason'] === 'Scheduled') ?? story[0];
      c.causeChain.push({
        kind: 'rescheduled',
        objectUid: r.uid,
        object: describeRef(r),
        time: bound?.time ?? r.firstSeen,
        summary: `replacement ${describeRef(r)} of ${describeRef(controller)}${where ? ` scheduled to ${where}` : ''}`,
      });
    }
  }
  c.counts['podsNotReady'] = [...fates.values()].filter((f) => f.notReady.length).length;
  c.counts['evictions'] = evictions;
  c.counts['rescheduled'] = rescheduled;
  if (evictions) c.summary += `: ${evictions} pod${evictions > 1 ? 's' : ''} evicted, ${rescheduled} rescheduled`;
  return c;
}

export const nodeNotReadyRule: Rule = {
  kind: 'node-not-ready',
  severity: 'error',
  describe: "node lifecycle controller's NotReady (after the 40 s grace): one is enough; evictions and rescheduling as its chain",
  detect(view) {
    const triggers = nodeTriggers(view);
    const runs: { node: string; signals: NodeSignal[] }[] = [];
    for (const [node, list] of groupBy(triggers, (t) => t.node)) {
      for (const run of splitByGap(list, GAP, (t) => t.event.time)) runs.push({ node, signals: run });
    }
    return runs.map((run) => {
      const start = run.signals[0]!.event.time;
      const end = run.signals[run.signals.length - 1]!.event.time + EVICTION_WINDOW;
      const otherNodesDown = runs.some((o) => o !== run && o.signals[0]!.event.time <= end && o.signals[o.signals.length - 1]!.event.time + EVICTION_WINDOW >= start);
      return buildIncident(view, run.node, run.signals, otherNodesDown);
    });
  },
};
