/**
 * A signal declared as a table of line forms, for the signals that are "this text, from these
 * components": each form is a regular expression over the message (with its `err`/`error` field),
 * whose named groups become the facts, and Event forms by reason and text. Most new signals are
 * one table; the ones that need more logic (exit codes, Event aggregation...) stay hand-written.
 */
import { EVENT_COMPONENTS, kubeEventOf } from './kube-event.js';
import { str, type Facts, type Signal, type SignalInput } from './types.js';

export interface LineForm {
  /** Components that write this form. */
  components: readonly string[];
  /** Lowest severity rank (0 debug .. 4 fatal) the line must have (default 0). */
  minSeverity?: number;
  /** Tested on the message followed by the `with` fields; named groups become facts. */
  re: RegExp;
  /** Fields whose text follows the message in what `re` reads (default: `err`, then `error`). */
  with?: readonly string[];
  /** Facts every line of this form states. */
  fixed?: Facts;
  /** Fields copied into the facts when the line has them (fact name -> field name). */
  fields?: Record<string, string>;
  /** A last word: forms that look alike but mean something else return false. */
  unless?: RegExp;
  /** Facts read from the whole text beyond the groups (what a single pattern cannot say). */
  extra?: (text: string) => Facts;
}

export interface EventForm {
  /** The Event's reason. */
  reason: RegExp;
  /** Tested on the Event's own message; named groups become facts (default: any text). */
  text?: RegExp;
  fixed?: Facts;
  extra?: (text: string) => Facts;
}

export interface PatternSpec {
  name: string;
  describe: string;
  lines?: readonly LineForm[];
  events?: readonly EventForm[];
}

/** The text a form is tested on: the message and the error field a klog or logfmt line carries. */
export function lineText(e: SignalInput, fields: readonly string[] = ['err', 'error']): string {
  const extra = fields.map((f) => str(e.fields[f])).find((v) => v !== undefined);
  return extra ? `${e.message} ${extra}` : e.message;
}

/** Named groups of a match, without the ones that did not take part; Go's \" made plain. */
function groupFacts(m: RegExpExecArray): Facts {
  const out: Facts = {};
  for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined && v !== '') out[k] = v.replace(/\\+"/g, '"');
  return out;
}

function lineFacts(form: LineForm, e: SignalInput): Facts | undefined {
  if (!form.components.includes(e.component) || e.severity < (form.minSeverity ?? 0)) return undefined;
  const text = lineText(e, form.with);
  const m = form.re.exec(text);
  if (!m || form.unless?.test(text)) return undefined;
  const out: Facts = { ...groupFacts(m), ...form.extra?.(text), ...form.fixed };
  for (const [fact, field] of Object.entries(form.fields ?? {})) {
    const v = str(e.fields[field]);
    if (v) out[fact] = v;
  }
  return out;
}

function eventFacts(form: EventForm, e: SignalInput): Facts | undefined {
  const k = kubeEventOf(e);
  if (!k || !form.reason.test(k.reason)) return undefined;
  const m = form.text ? form.text.exec(k.text) : null;
  if (form.text && !m) return undefined;
  return { reason: k.reason, text: k.text, event: true, ...(m ? groupFacts(m) : {}), ...form.extra?.(k.text), ...form.fixed };
}

export function patternSignal(spec: PatternSpec): Signal {
  const lines = spec.lines ?? [];
  const events = spec.events ?? [];
  const components = new Set(lines.flatMap((f) => f.components));
  if (events.length) for (const c of EVENT_COMPONENTS) components.add(c);
  return {
    name: spec.name,
    components: [...components],
    describe: spec.describe,
    match(e): Facts | undefined {
      for (const f of lines) {
        const facts = lineFacts(f, e);
        if (facts) return facts;
      }
      for (const f of events) {
        const facts = eventFacts(f, e);
        if (facts) return facts;
      }
      return undefined;
    },
  };
}
