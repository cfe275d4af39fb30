/**
 * The parts of an event's stored row that cost real work to make: its fields as JSON text and the
 * signals its line states (src/store/signals.ts). Made by the functions here wherever the event
 * is: a parse worker makes it for the events it sends an ingest (src/ingest/workers/), so
 * that the main thread, which writes every row, neither clones a fields object, nor stringifies
 * it, nor matches the signals' patterns; the writer makes it itself for an event that comes
 * without (stdin, a small run read on the main thread, follow mode). Either way the same functions
 * make the same row.
 *
 * An event that carries its form has given its fields object up (an empty one stands in): the
 * form's text is what the store keeps, and nothing between the parse and the writer reads fields.
 */
import type { KEvent } from '../model/event.js';
import { severityRank } from '../model/event.js';
import { recognizeLine, type SignalRegistry } from './signals.js';

/** A signal a line states, as event_signals stores it: its name and its facts' JSON text. */
export type StoredSignal = readonly [name: string, facts: string];

/**
 * An event as the writer takes it: with its stored form when a worker made it (formEvents). Two
 * plain properties on the event rather than an object, so that a batch crossing from a worker
 * holds one object fewer per event.
 */
export interface FormedEvent extends KEvent {
  /** The fields as stored: JSON text, null when there are none; undefined when not made yet. */
  storedFields?: string | null;
  /** The signals the line states: null for none; undefined when they were not recognized. */
  storedSignals?: readonly StoredSignal[] | null;
}

/** JSON text of an event's fields, null when empty; never throws on odd values. */
export function fieldsJson(fields: Record<string, unknown>): string | null {
  for (const _ in fields) {
    try {
      return JSON.stringify(fields);
    } catch {
      // A BigInt or a cycle from some parser: keep what survives, never lose the event.
      return JSON.stringify(fields, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) ?? null;
    }
  }
  return null;
}

/** The event's fields as stored: the text its worker made, else made now. */
export function storedFields(e: FormedEvent): string | null {
  return e.storedFields !== undefined ? e.storedFields : fieldsJson(e.fields);
}

/** Nesting deeper than this is not looked through: such fields are parsed back from their text. */
const MAX_DEPTH = 32;

/**
 * Whether the value's JSON text reads back as the same value: strings, booleans, null, finite
 * numbers but -0, and plain objects and arrays of those (no undefined, NaN, BigInt, hole, Date or
 * other class). Allocates nothing.
 */
export function jsonExact(v: unknown, depth = 0): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (depth >= MAX_DEPTH) return false;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!jsonExact(v[i], depth + 1)) return false;
        return true;
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const k in v) if (!jsonExact((v as Record<string, unknown>)[k], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

/**
 * The signals the event's line states, as a later pass over the store would find them from the
 * stored fields text; null for none. Fields whose text reads back as themselves (jsonExact: every
 * line of the scale-20 bundle) are read as they are, not parsed back: the same values, without
 * a JSON.parse per line (3-4 s of the workers' CPU at scale 20).
 */
export function storedSignals(e: FormedEvent, registry: SignalRegistry, fields: string | null): readonly StoredSignal[] | null {
  if (e.storedSignals !== undefined) return e.storedSignals;
  const line = { component: e.component, message: e.message, severity: severityRank(e.severity) };
  // The object only while the event still holds it: formEvents drops it (an empty one stands in)
  // once its text is made, and a worker told to leave the signals to the writer sends it so.
  const held = e.storedFields === undefined && jsonExact(e.fields);
  const found = held ? recognizeLine(registry, { ...line, fields: e.fields }) : recognizeLine(registry, { ...line, fields });
  return found.length === 0 ? null : found.map((s): StoredSignal => [s.name, JSON.stringify(s.facts)]);
}

/**
 * Gives each event of a batch its stored form (the signals too, given their registry) and drops
 * its fields object: a parse worker, before it sends the batch to an ingest.
 *
 * Tried: one empty fields object and one empty objects array shared by the batch's events (a
 * message copies a shared object once): the main thread's GC and deserialization at scale 20
 * stayed at 3.1 and 1.9 s (cpu-prof, 3.2 and 1.8 without), so each event keeps its own.
 */
export function formEvents(batch: readonly KEvent[], registry?: SignalRegistry): void {
  for (const e of batch as FormedEvent[]) {
    const fields = fieldsJson(e.fields);
    e.storedFields = fields;
    if (registry) e.storedSignals = storedSignals(e, registry, fields);
    e.fields = {};
  }
}
