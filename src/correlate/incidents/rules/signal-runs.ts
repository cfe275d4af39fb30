/**
 * The shape most rules share: the events stating some signals, grouped by what they are about
 * (the root: a node, a webhook, a pod...), split where the logs go quiet, and every run that
 * passes the rule's threshold made into one candidate incident. A rule built on it says only
 * what it reads, how it groups, its threshold, its root and its summary.
 */
import type { Severity } from '../../../model/event.js';
import type { LeanSignalledEvent, ObjectRow, SignalledEvent, StoreView } from '../../../store/incident-view.js';
import { addEvents, newCandidate } from '../candidate.js';
import { MINUTE, SECOND, groupBy, splitByGap } from '../group.js';
import type { Candidate, IncidentKind, RootRef, Rule } from '../types.js';

/**
 * E is the row a rule reads: a whole SignalledEvent, or a lean one (no message, fields or
 * location) for a rule whose runs can hold a very frequent signal (leanSignalRunRule).
 */
export interface SignalRunSpec<E extends LeanSignalledEvent = SignalledEvent> {
  kind: IncidentKind;
  severity: Severity;
  signals: readonly string[];
  /** What the event is about; events without a key are left out. */
  key(e: E, view: StoreView): string | undefined;
  /** Quiet time (microseconds) that ends a run. */
  gap: number;
  qualifies(run: readonly E[]): boolean;
  /** The root as the run's lines name it (resolved to a stored object when one matches). */
  root(run: readonly E[], view: StoreView): RootRef;
  /** The stored object at the root, when the rule knows it better than by resolving the root (default: the root resolved at the run's start). */
  object?(run: readonly E[], view: StoreView, ref: RootRef): ObjectRow | undefined;
  /** The lines of a run that are its triggers (default: all of them); the others are left for finish to place. */
  triggers?(run: readonly E[]): readonly E[];
  summarize(run: readonly E[], c: Candidate, view: StoreView): string;
  /** Counts, notes, effects and a graded severity, once the triggers are in. */
  finish?(c: Candidate, run: readonly E[], view: StoreView): void;
}

/** The candidates of `rows` (the spec's signals, in (time, id) order, streamed). */
function signalRunsOf<E extends LeanSignalledEvent>(view: StoreView, spec: SignalRunSpec<E>, rows: Iterable<E>): Candidate[] {
  const out: Candidate[] = [];
  // Streamed: only the rows grouped are held, not the whole read besides.
  for (const list of groupBy(rows, (e) => spec.key(e, view)).values()) {
    for (const run of splitByGap(list, spec.gap, (e) => e.time)) {
      if (!spec.qualifies(run)) continue;
      const ref = spec.root(run, view);
      const object = spec.object ? spec.object(run, view, ref) : view.resolve(ref, run[0]!.time);
      const c = newCandidate(spec.kind, spec.severity, object, ref, '');
      addEvents(c, spec.triggers?.(run) ?? run, 'trigger');
      spec.finish?.(c, run, view);
      c.summary = spec.summarize(run, c, view);
      out.push(c);
    }
  }
  return out;
}

export function signalRuns(view: StoreView, spec: SignalRunSpec): Candidate[] {
  return signalRunsOf(view, spec, view.eachSignalled(spec.signals));
}

/** The time a run spans (microseconds). */
export function spanOf(run: readonly { time: number }[]): number {
  return run.length ? run[run.length - 1]!.time - run[0]!.time : 0;
}

/** "54 min", "40 s": a span as a summary states it. */
export function spanText(micros: number): string {
  return micros >= MINUTE ? `${Math.round(micros / MINUTE)} min` : `${Math.round(micros / SECOND)} s`;
}

/** The distinct values of a fact over a run, in order of first appearance. */
export function factValues(run: readonly Pick<LeanSignalledEvent, 'facts'>[], fact: string): string[] {
  return [...new Set(run.map((e) => e.facts[fact]).filter((v) => v !== undefined && v !== '').map(String))];
}

/** The node a kubelet line is about: the node it names, else the host that wrote it. */
export function nodeOf(e: Pick<LeanSignalledEvent, 'facts' | 'host'>): string | undefined {
  const named = e.facts['node'];
  if (typeof named === 'string' && named) return named;
  return e.host ?? undefined;
}

/** A rule that is one signalRuns pass: its kind, severity and description said once. */
export function signalRunRule(kind: IncidentKind, severity: Severity, describe: string, spec: Omit<SignalRunSpec, 'kind' | 'severity'>): Rule {
  return { kind, severity, describe, detect: (view) => signalRuns(view, { kind, severity, ...spec }) };
}

/**
 * signalRunRule over lean rows (no message, fields or location): for a rule that reads only its
 * events' facts, host and component, and whose one run may be a very frequent signal's every
 * line (~2 KB a whole row, ~0.3 KB a lean one).
 */
export function leanSignalRunRule(kind: IncidentKind, severity: Severity, describe: string, spec: Omit<SignalRunSpec<LeanSignalledEvent>, 'kind' | 'severity'>): Rule {
  return { kind, severity, describe, detect: (view) => signalRunsOf(view, { kind, severity, ...spec }, view.eachLeanSignalled(spec.signals)) };
}

/** Grouping by node, rooted at it: the key and root of the rules about one kubelet's node. */
export const PER_NODE = {
  key: nodeOf,
  root: (run: readonly Pick<LeanSignalledEvent, 'facts' | 'host'>[]): RootRef => ({ kind: 'Node', name: nodeOf(run[0]!)! }),
} as const;
