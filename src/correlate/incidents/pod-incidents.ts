/**
 * The machinery shared by the rules whose root is a Pod (image pull back-off, crash loop, OOM
 * kill, unschedulable, probe failure, eviction): signals grouped per pod and split by a quiet gap;
 * runs that pass the rule's threshold; runs of pods with the same controller that overlap merged
 * into one incident (three replicas failing the same way are one fault, rooted at the first pod);
 * then the pods' story added as evidence and the rollout that made them as the cause.
 */
import type { Severity } from '../../model/event.js';
import { addEvents, addEvidence, newCandidate, rootLabel } from './candidate.js';
import { MINUTE, SECOND, groupExact, splitByGap } from './group.js';
import type { EventRow, ObjectRow, StoreView } from '../../store/incident-view.js';
import { describeRef, STORY_COMPONENTS } from '../../store/incident-view.js';
import type { Candidate, EvidenceRole, IncidentKind, RootRef, Rule } from './types.js';
import { appendAll } from '../../util/append.js';
import { Interner } from '../../util/interner.js';
import { releaseGarbage } from '../../util/release-garbage.js';

export interface PodSignal {
  /**
   * The line's id and time only: a rule's signals are held until its incidents are built (the
   * restart signals through two rules), and a whole row with its parsed fields was ~1 KB a
   * signal (625k crash-looping pods on a 5M-event store).
   */
  event: Pick<EventRow, 'id' | 'time'>;
  /** The host the line came from (its own, else the one its fields name), when it says. */
  host: string | undefined;
  /** The pod as the line names it. */
  pod: RootRef;
  object: ObjectRow | undefined;
  role: EvidenceRole;
  /** What the signal says, for the rule's threshold (e.g. "backoff", "exit", "oom"). */
  tag: string;
  /** How many occurrences it stands for (an aggregated Event's count; 1 otherwise). */
  weight: number;
  /** A detail the summary may quote (the scheduler's reason, the image...). */
  detail?: string;
}

/** One pod's run of signals between quiet gaps. */
export interface PodRun {
  readonly key: string;
  readonly pod: RootRef;
  readonly object: ObjectRow | undefined;
  readonly signals: PodSignal[];
  readonly start: number;
  readonly end: number;
  /**
   * The pod's owners, surest first, once mergeByController has read them for its controller:
   * the root's owner chain starts from them (asked again, it was a second query per pod).
   */
  owners?: readonly ObjectRow[];
}

/**
 * A run as podRuns makes it: its key, pod, object, start and end read from its signals when
 * asked. A rule holds every run of every pod until its incidents are built (625k crash-looping
 * pods on a 5M-event store), and the key's string and the two boxed times held in each run were
 * ~90 of the ~200 bytes a run cost.
 */
class SignalRun implements PodRun {
  owners: readonly ObjectRow[] | undefined = undefined;

  constructor(readonly signals: PodSignal[]) {}

  get key(): string {
    return podKey(this.signals[0]!);
  }

  get pod(): RootRef {
    return this.signals[0]!.pod;
  }

  get object(): ObjectRow | undefined {
    return this.signals[0]!.object;
  }

  get start(): number {
    return this.signals[0]!.event.time;
  }

  get end(): number {
    return this.signals[this.signals.length - 1]!.event.time;
  }
}

export interface PodIncidentSpec {
  kind: IncidentKind;
  severity: Severity;
  /** Quiet time (microseconds) that ends a run. */
  gap: number;
  /** Does this run pass the rule's threshold? */
  qualifies(run: PodRun): boolean;
  /** The incident's one-line summary, from its runs (the first is the root's). */
  summarize(runs: PodRun[]): string;
  /** Severity for a qualifying set of runs, when the rule grades it (default: spec.severity). */
  grade?(runs: PodRun[]): Severity;
}

/** Story before the first signal that is still the pod's (its creation, its first start). */
const STORY_BEFORE = 10 * MINUTE;
/** ...and after the last one (its deletion, a final status). */
const STORY_AFTER = 30 * SECOND;
/** The owners' lines around the pod's creation that made it (a rollout, a scale-up). */
const ROLLOUT_BEFORE = 60 * SECOND;
const ROLLOUT_AFTER = 10 * SECOND;

/** Which pod a signal is about, as runs are grouped: its stored object, else the pod as named. */
export function podKey(s: PodSignal): string {
  if (s.object) return `o${s.object.id}`;
  return `r${s.pod.uid ?? describeRef(s.pod)}`;
}

/** Splits signals into per-pod runs. */
export function podRuns(signals: readonly PodSignal[], gap: number): PodRun[] {
  const runs: PodRun[] = [];
  // Grouped by the object's id where there is one (a number: no key string per signal), made
  // into podKey once per pod.
  for (const list of groupExact(signals, (s) => s.object?.id ?? podKey(s))) {
    for (const run of splitByGap(list, gap, (s) => s.event.time)) runs.push(new SignalRun(run));
  }
  return runs.sort((a, b) => a.start - b.start);
}

/** Total weight of the signals with a tag. */
export function weightOf(run: PodRun, tag: string): number {
  let n = 0;
  for (const s of run.signals) if (s.tag === tag) n += s.weight;
  return n;
}

/**
 * The direct controller of a pod (its ReplicaSet, DaemonSet...), when the owner graph knows it.
 * The owners read are kept on the run, each owner's row once for all the runs it owns (`rows`),
 * where the pods of one ReplicaSet each held a copy of its row (strings and boxed times).
 */
function controllerKey(view: StoreView, run: PodRun, rows: Map<number, ObjectRow>): string | number {
  if (!run.object) return run.key;
  const owners = view.owners(run.object.id);
  for (let i = 0; i < owners.length; i++) {
    const row = rows.get(owners[i]!.id);
    if (row) owners[i] = row;
    else rows.set(owners[i]!.id, owners[i]!);
  }
  run.owners = owners.length ? owners : NO_OWNERS;
  // Numbers, not strings, where there is an object: its controller's id negated, else its own id.
  const owner = owners[0];
  return owner ? -owner.id : run.object.id;
}

/** The owners of every run whose pod has none (most, where pods were made by no controller). */
const NO_OWNERS: readonly ObjectRow[] = Object.freeze([]);

/** Merges the qualifying runs of pods with one controller that overlap (within the gap). */
function mergeByController(view: StoreView, runs: PodRun[], gap: number): PodRun[][] {
  const out: PodRun[][] = [];
  const ownerRows = new Map<number, ObjectRow>();
  for (const list of groupExact(runs, (r) => controllerKey(view, r, ownerRows))) {
    list.sort((a, b) => a.start - b.start);
    // Each merged set a slice of the sorted list (exactly its size, see groupExact).
    let from = 0;
    let end = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < list.length; i++) {
      const run = list[i]!;
      if (i > from && run.start - end > gap) {
        out.push(list.slice(from, i));
        from = i;
      }
      end = Math.max(end, run.end);
    }
    if (list.length > from) out.push(from === 0 ? list : list.slice(from));
  }
  return out.sort((a, b) => a[0]!.start - b[0]!.start);
}

/**
 * When a pod was created: its earliest line, looking a little before the linker's first sighting
 * (which counts UID sightings: the audit event of the create, stamped when the request completed,
 * comes after the controller's "Created pod: <name>", which names it first).
 */
export function createdAt(view: StoreView, pod: ObjectRow): number {
  if (pod.firstSeen === null) return Number.MAX_SAFE_INTEGER;
  const first = view.eventsAbout(pod.id, pod.firstSeen - ROLLOUT_BEFORE, pod.firstSeen, STORY_COMPONENTS)[0];
  return first ? Math.min(first.time, pod.firstSeen) : pod.firstSeen;
}

/** Runs in the order their pods were created, then the order they began to fail. */
function byCreation(view: StoreView, runs: readonly PodRun[]): PodRun[] {
  const born = new Map(runs.map((r) => [r, r.object ? createdAt(view, r.object) : r.start]));
  return [...runs].sort((a, b) => born.get(a)! - born.get(b)! || a.start - b.start);
}

/**
 * Builds a rule's incidents from its signals, one at a time: the caller takes each as it is made
 * (detection spills it), so a rule's incidents are not all held at once (625k crash loops on a
 * 5M-event store).
 */
export function* podIncidents(view: StoreView, signals: readonly PodSignal[], spec: PodIncidentSpec): Generator<Candidate> {
  const qualifying = podRuns(signals, spec.gap).filter((r) => spec.qualifies(r));
  // Grouping and merging make garbage for every pod (625k on a 5M-event store) and yield nothing
  // until they are done, so no collection made between incidents reaches it: the crash-loop
  // rule's peak was here.
  releaseGarbage();
  const sets = mergeByController(view, qualifying, spec.gap);
  releaseGarbage();
  for (const merged of sets) {
    // The root is the pod created first (the one a rollout made first), then the first to fail.
    // A run alone is its own root: when each pod was created is read only to order several (most
    // incidents are one pod's, and the read was a quarter of the crash-loop rule's time on a
    // 1M-event store with 125k crash-looping pods).
    const runs = merged.length === 1 ? merged : byCreation(view, merged);
    const first = runs[0]!;
    const c = newCandidate(spec.kind, spec.grade?.(runs) ?? spec.severity, first.object, first.pod, spec.summarize(runs));
    for (const run of runs) {
      for (const s of run.signals) addEvents(c, [s.event], s.role, true);
      if (run !== first && run.object) c.affected.add(run.object.id);
    }
    c.counts['pods'] = new Set(runs.map((r) => r.key)).size;
    addPodStory(view, c, runs.map((r) => r.object).filter((o): o is ObjectRow => o !== undefined), first.owners);
    yield c;
  }
}

/**
 * The pods' own story as evidence (every line linked to them around the fault, from every
 * component: the apiserver's requests, audit, the kubelet, the Events and the requests about those
 * Events), and the root's owners' lines that created it (a rollout, a SuccessfulCreate) as
 * context: they are in the cause chain, but as evidence they rank last ('evidence', not 'cause'),
 * since they prove nothing about the fault and must not come before the failing lines.
 */
export function addPodStory(view: StoreView, c: Candidate, pods: readonly ObjectRow[], rootOwners?: readonly ObjectRow[]): void {
  for (const pod of pods) {
    const from = Math.max(pod.firstSeen ?? c.start, c.start - STORY_BEFORE);
    const to = c.end + STORY_AFTER;
    // Evidence is an id and a role: the story's rows need not be read whole.
    for (const id of view.eventIdsAbout(pod.id, from, to, STORY_COMPONENTS)) addEvidence(c, id, 'evidence');
    if (pod.name) {
      for (const ev of view.objectsNamedAfter('Event', pod.namespace, pod.name)) {
        for (const id of view.eventIdsAbout(ev.id, from, to, STORY_COMPONENTS)) addEvidence(c, id, 'evidence');
      }
    }
  }
  const root = c.root;
  if (!root || root.kind !== 'Pod' || root.firstSeen === null) return;
  const created = root.firstSeen;
  // The root's owners as read for its run, when it is that run's pod (newCandidate roots it there).
  for (const owner of view.ownerChain(root.id, rootOwners)) {
    const lines = view.eventsAbout(owner.id, created - ROLLOUT_BEFORE, created + ROLLOUT_AFTER, STORY_COMPONENTS);
    for (const e of lines) addEvidence(c, e.id, 'evidence');
    const firstLine = lines[0];
    if (firstLine) {
      c.causeChain.push({
        kind: owner.kind === 'Deployment' ? 'rollout' : 'created-by',
        objectUid: owner.uid,
        object: describeRef(owner),
        time: firstLine.time,
        summary: firstLine.message === 'Event occurred' ? String(firstLine.fields['message'] ?? firstLine.message) : firstLine.message,
      });
    }
  }
  c.causeChain.sort((a, b) => a.time - b.time);
}

/** Per view, the strings its pod signals repeat (kinds, namespaces, hosts, details). */
const signalStrings = new WeakMap<StoreView, Interner>();

function stringsOf(view: StoreView): Interner {
  let strings = signalStrings.get(view);
  if (!strings) {
    strings = new Interner();
    signalStrings.set(view, strings);
  }
  return strings;
}

/** Makes one read's pod signals: podSignalReader. */
export type PodSignalFn = (event: EventRow, pod: RootRef, role: EvidenceRole, tag: string, weight?: number, detail?: string) => PodSignal;

/**
 * The signals of one read (a rule's pass over its events), each resolving the pod it names
 * through the event's links first. The pods' rows are shared by the read's signals: a crash-looping
 * pod's kubelet repeats its back-off line every few minutes for hours, and each signal held its own
 * copy of the row (~200 of a signal's ~340 bytes). The rows are the read's own, not the view's, so
 * that they die with its signals.
 */
export function podSignalReader(view: StoreView): PodSignalFn {
  const strings = stringsOf(view);
  const rows = new Map<number, ObjectRow>();
  return (event, pod, role, tag, weight = 1, detail) => {
    const host = event.host ?? event.fields['host'];
    const linked = view.objectOf(event, 'Pod', pod);
    let object = linked && rows.get(linked.id);
    if (linked && !object) {
      object = leanObject(linked, strings);
      rows.set(object.id, object);
    }
    return new HeldSignal(event.id, event.time, typeof host === 'string' ? strings.of(host) : undefined, sharingStrings(pod, object), object, role, tag, weight, strings.of(detail));
  };
}

/**
 * A signal as podSignalReader makes it: the event's id and time are the signal's own fields, and
 * `event` is the signal itself (an object of its own was ~56 of a signal's ~370 bytes, 625k of
 * them held by the crash-loop rule on a 5M-event store).
 */
class HeldSignal implements PodSignal {
  constructor(
    readonly id: number,
    readonly time: number,
    public host: string | undefined,
    public pod: RootRef,
    public object: ObjectRow | undefined,
    public role: EvidenceRole,
    public tag: string,
    public weight: number,
    public detail: string | undefined,
  ) {}

  get event(): Pick<EventRow, 'id' | 'time'> {
    return this;
  }
}

/**
 * The object's row alone (a link's row also holds its via and confidence), its kind and namespace
 * shared: a rule holds a signal's object until its incidents are built, and the link row with its
 * own strings was ~200 of a signal's ~650 bytes (625k crash-looping pods on a 5M-event store).
 */
function leanObject(o: ObjectRow, strings: Interner): ObjectRow {
  return {
    id: o.id,
    uid: o.uid,
    kind: strings.of(o.kind),
    namespace: strings.of(o.namespace),
    name: o.name,
    firstSeen: o.firstSeen,
    lastSeen: o.lastSeen,
    deleted: o.deleted,
  };
}

/**
 * The pod as named, with the object's own strings wherever they are equal: a signal holds both,
 * and the line's copies (a UID, a name, a namespace) were ~140 of the ~740 bytes a signal cost
 * (the restart signals of 250k crash-looping pods on the 2M-event bench input: 184 MB). Where the
 * line names the pod exactly as its object does (the usual case), the object is the reference
 * itself: no copy at all (another ~60 bytes a signal).
 */
export function sharingStrings(pod: RootRef, object: ObjectRow | undefined): RootRef {
  if (!object) return pod;
  if (sameRef(pod, object)) return object;
  const out = { ...pod };
  if (out.kind === object.kind) out.kind = object.kind;
  if (out.namespace === object.namespace) out.namespace = object.namespace;
  if (out.name === object.name) out.name = object.name;
  if (out.uid === object.uid) out.uid = object.uid;
  return out;
}

/** A reference that names exactly the object: its four fields alone, each equal. */
function sameRef(pod: RootRef, object: ObjectRow): boolean {
  for (const key in pod) if (key !== 'kind' && key !== 'namespace' && key !== 'name' && key !== 'uid') return false;
  return pod.kind === object.kind && pod.namespace === object.namespace && pod.name === object.name && pod.uid === object.uid;
}

/** What a pod rule reads and decides, given the view (its signals, threshold and summary). */
export interface PodRuleSpec extends Omit<PodIncidentSpec, 'kind' | 'severity'> {
  signals: readonly PodSignal[];
  /** Counts and notes once an incident is built (`signals`: all the rule read). */
  finish?(c: Candidate, signals: readonly PodSignal[]): void;
}

/** A rule that is one podIncidents pass: its kind, severity and description said once. */
export function podRule(kind: IncidentKind, severity: Severity, describe: string, spec: (view: StoreView) => PodRuleSpec): Rule {
  return {
    kind,
    severity,
    describe,
    *detect(view) {
      const s = spec(view);
      for (const c of podIncidents(view, s.signals, { kind, severity, ...s })) {
        s.finish?.(c, s.signals);
        yield c;
      }
    },
  };
}

/**
 * Each rule's signals by event id (their positions), built once per signals array: a position
 * alone where an event has one signal (nearly all), an array only where it has several (an array
 * of one was ~56 bytes a signal, held while the rule runs: 625k crash loops on a 5M-event store).
 */
const signalsByEvent = new WeakMap<readonly PodSignal[], Map<number, number | number[]>>();

/**
 * The signals that are an incident's triggers, in the signals' order. Looked up from the
 * incident's trigger evidence: a filter of every signal per incident was quadratic (a store with
 * 62k crash-looping pods spent minutes here).
 */
export function triggersOf(c: Candidate, signals: readonly PodSignal[]): PodSignal[] {
  let byEvent = signalsByEvent.get(signals);
  if (!byEvent) {
    byEvent = new Map();
    for (let i = 0; i < signals.length; i++) {
      const id = signals[i]!.event.id;
      const at = byEvent.get(id);
      if (at === undefined) byEvent.set(id, i);
      else if (typeof at === 'number') byEvent.set(id, [at, i]);
      else at.push(i);
    }
    signalsByEvent.set(signals, byEvent);
  }
  const positions: number[] = [];
  for (const [eventId, role] of c.evidence) {
    if (role !== 'trigger') continue;
    const at = byEvent.get(eventId);
    if (typeof at === 'number') positions.push(at);
    else if (at) appendAll(positions, at);
  }
  return positions.sort((a, b) => a - b).map((i) => signals[i]!);
}

/** "pod/ns/a (and 2 more pods)": the root pod of merged runs, and how many more failed with it. */
export function podsLabel(runs: readonly PodRun[]): string {
  const more = runs.length > 1 ? ` (and ${runs.length - 1} more pod${runs.length > 2 ? 's' : ''})` : '';
  return `${rootLabel({ root: runs[0]!.object, rootRef: runs[0]!.pod })}${more}`;
}
