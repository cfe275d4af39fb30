/**
 * A signal is a named fact one log line states (a container died, a probe failed, etcd lost its
 * leader), recognized once from the parsed event, so that incident rules ask for facts by name
 * instead of matching text themselves. Each signal is a pure function of the event's component,
 * message, fields and severity: no store, no time, no other line.
 */

/** The parts of a parsed event (KEvent, or a stored event row) that signals read. */
export interface SignalInput {
  component: string;
  message: string;
  fields: Record<string, unknown>;
  /** 0..4, the rank in SEVERITIES (debug..fatal). */
  severity: number;
}

/** What the line says beyond its name (the image, the exit code, the term...), kept as JSON. */
export type Facts = Record<string, string | number | boolean>;

export interface Signal {
  name: string;
  /** The components whose lines can state it (the store reads only those). */
  components: readonly string[];
  /** One line: what lines it recognizes. */
  describe: string;
  /** The facts when the line states this signal, else undefined. */
  match(e: SignalInput): Facts | undefined;
  /**
   * A look-up the rules make around a fault (which pod held an IP, when a pod ended), not a fact
   * that makes a line evidence: not shown beside evidence lines (src/output/evidence-fields.ts).
   */
  context?: true;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** A line's message with its `err` field, the text a kubelet or apiserver error is stated in. */
export function messageAndErr(e: SignalInput): string {
  const err = str(e.fields['err']);
  return err ? `${e.message} ${err}` : e.message;
}

/** A signal only one component's lines state: `match` is asked only about that component's lines. */
export function componentSignal(name: string, component: string, describe: string, match: (e: SignalInput) => Facts | undefined): Signal {
  return { name, components: [component], describe, match: (e) => (e.component === component ? match(e) : undefined) };
}

/** The facts that are there: entries whose value is undefined are left out (in the order given). */
export function presentFacts(facts: Record<string, string | number | boolean | undefined>): Facts {
  const out: Facts = {};
  for (const [k, v] of Object.entries(facts)) if (v !== undefined) out[k] = v;
  return out;
}
