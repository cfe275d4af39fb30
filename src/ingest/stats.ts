/**
 * Per-source accounting. Every physical line read ends up in exactly one bucket:
 *   linesRead = events + folded + unrecognized + setAside
 * where `events` are recognized events, `unrecognized` are lines no parser knew (kept as
 * `unknown` events with their raw text), `folded` are continuation lines joined into an event
 * (and the extra physical lines of CRI P or docker split records), and `setAside` are lines that
 * carry no event (envelope headers, blank lines, files that are not logs). A line that carries
 * several events (a cloud export's records on one line) counts once: the events beyond its first
 * are `sharedLineEvents`, so that
 *   linesRead + sharedLineEvents = events + folded + unrecognized + setAside.
 */
import type { Component } from '../model/event.js';

export interface SourceStats {
  file: string;
  envelope: string;
  /** Payload formats seen, with their event counts. */
  formats: Record<string, number>;
  /** Components assigned, with their event counts. */
  components: Partial<Record<Component, number>>;
  linesRead: number;
  events: number;
  folded: number;
  unrecognized: number;
  setAside: number;
  /** Events (recognized or not) beyond the first that one physical line carried; absent when none. */
  sharedLineEvents?: number;
  truncatedLines: number;
  /** Lines that held NUL bytes (taken out of their text; see framing.ts). */
  nulLines: number;
  /** Why the whole file was set aside, when it was. */
  setAsideReason?: string;
  /** Stored with --fix-skew: each host whose events were moved, by how much (µs; correlate/skew-fix.ts). */
  clockShiftUs?: Record<string, number>;
  errors: string[];
}

export function newSourceStats(file: string): SourceStats {
  return {
    file,
    envelope: 'none',
    formats: {},
    components: {},
    linesRead: 0,
    events: 0,
    folded: 0,
    unrecognized: 0,
    setAside: 0,
    truncatedLines: 0,
    nulLines: 0,
    errors: [],
  };
}

export interface StatsTotals {
  sources: number;
  linesRead: number;
  events: number;
  folded: number;
  unrecognized: number;
  setAside: number;
  sharedLineEvents: number;
  truncatedLines: number;
  errors: number;
}

export function totals(all: readonly SourceStats[]): StatsTotals {
  const t: StatsTotals = {
    sources: all.length,
    linesRead: 0,
    events: 0,
    folded: 0,
    unrecognized: 0,
    setAside: 0,
    sharedLineEvents: 0,
    truncatedLines: 0,
    errors: 0,
  };
  for (const s of all) {
    t.linesRead += s.linesRead;
    t.events += s.events;
    t.folded += s.folded;
    t.unrecognized += s.unrecognized;
    t.setAside += s.setAside;
    t.sharedLineEvents += s.sharedLineEvents ?? 0;
    t.truncatedLines += s.truncatedLines;
    t.errors += s.errors.length;
  }
  return t;
}

/** True when every line is accounted for exactly once. */
export function balanced(s: SourceStats): boolean {
  return s.linesRead + (s.sharedLineEvents ?? 0) === s.events + s.folded + s.unrecognized + s.setAside;
}
