/**
 * The shape most rules share: the events stating some signals, grouped by what they are about
 * (the root: a node, a webhook, a pod...), split where the logs go quiet, and every run that
 * passes the rule's threshold made into one candidate incident. A rule built on it says only
 * what it reads, how it groups, its threshold, its root and its summary.
 */
import type { Severity } from '../../../model/event.js';
import type { ObjectRow, SignalledEvent, StoreView } from '../../../store/incident-view.js';
import { addEvents, newCandidate } from '../candidate.js';
import { MINUTE, SECOND, groupBy, splitByGap } from '../group.js';
import type { Candidate, IncidentKind, RootRef, Rule } from '../types.js';

export interface SignalRunSpec {
  kind: IncidentKind;
  severity: Severity;
  signals: readonly string[];
  /** What the event is about; events without a key are left out. */
  key(e: SignalledEvent, view: StoreView): string | undefined;
  /** Quiet time (microseconds) that ends a run. */
  gap: number;
  qualifies(run: readonly SignalledEvent[]): boolean;
  /** The root as the run's lines name it (resolved to a stored object when one matches). */
  root(run: readonly SignalledEvent[], view: StoreView): RootRef;
  /** The stored object at the root, when the rule knows it better than by resolving the root (default: the root resolved at the run's start). */
  object?(run: readonly SignalledEvent[], view: StoreView, ref: RootRef): ObjectRow | undefined;
  /** The lines of a run that are its triggers (default: all of them); the others are left for finish to place. */
  triggers?(run: readonly SignalledEvent[]): readonly SignalledEvent[];
  summarize(run: readonly SignalledEvent[], c: Candidate, view: StoreView): string;
  /** Counts, notes, effects and a graded severity, once the triggers are in. */
  finish?(c: Candidate, run: readonly SignalledEvent[], view: StoreView): void;
}

export function signalRuns(view: StoreView, spec: SignalRunSpec): Candidate[] {
  const out: Candidate[] = [];
  // Streamed: only the rows grouped are held, not the whole read besides.
  for (const list of groupBy(view.eachSignalled(spec.signals), (e) => spec.key(e, view)).values()) {
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

/** The time a run spans (microseconds). */
export function spanOf(run: readonly { time: number }[]): number {
  return run.length ? run[run.length - 1]!.time - run[0]!.time : 0;
}

/** "54 min", "40 s": a span as a summary states it. */
export function spanText(micros: number): string {
  return micros >= MINUTE ? `${Math.round(micros / MINUTE)} min` : `${Math.round(micros / SECOND)} s`;
}

/** The distinct values of a fact over a run, in order of first appearance. */
export function factValues(run: readonly SignalledEvent[], fact: string): string[] {
  return [...new Set(run.map((e) => e.facts[fact]).filter((v) => v !== undefined && v !== '').map(String))];
}

/** The node a kubelet line is about: the node it names, else the host that wrote it. */
export function nodeOf(e: SignalledEvent): string | undefined {
  const named = e.facts['node'];
  if (typeof named === 'string' && named) return named;
  return e.host ?? undefined;
}

/** A rule that is one signalRuns pass: its kind, severity and description said once. */
export function signalRunRule(kind: IncidentKind, severity: Severity, describe: string, spec: Omit<SignalRunSpec, 'kind' | 'severity'>): Rule {
  return { kind, severity, describe, detect: (view) => signalRuns(view, { kind, severity, ...spec }) };
}

/** Grouping by node, rooted at it: the key and root of the rules about one kubelet's node. */
export const PER_NODE = {
  key: nodeOf,
  root: (run: readonly SignalledEvent[]): RootRef => ({ kind: 'Node', name: nodeOf(run[0]!)! }),
} as const;
