/**
 * The real-data incident benchmark: for each real capture in ../shared/corpus, the incidents a
 * person found by reading its logs (test/real-incidents/<capture>.json: kind, root, time span, the
 * lines that show it, and why; and what looks alarming but is no incident), against what ktrail
 * finds. Reported by `npm run eval -- --real` beside the simulator's figures, and held by a test.
 *
 * An expected incident is found when an incident of its kind, rooted at the same object, overlaps
 * its span (60 s slack). Incidents at warning or above that match nothing are false; info-level
 * ones are listed, not counted. Captures without a year (journald short, klog) get theirs from
 * file times, so spans are written and compared without the year.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { severityRank } from '../model/event.js';
import { openStore } from '../store/writer.js';
import { ingestPaths } from './ingest-paths.js';
import { detectIncidents } from './incidents/index.js';
import { linkObjects } from './link.js';

export interface ExpectedIncident {
  kind: string;
  /** kind/namespace/name (or kind/name), as ktrail labels roots. */
  root: string;
  /** "MM-DDTHH:MM:SS" (UTC), the year left out. */
  start: string;
  end: string;
  /** file:line of the lines that show it. */
  lines: string[];
  why: string;
}

export interface CaptureTruth {
  capture: string;
  /** Paths inside the corpus to read. */
  paths: string[];
  /** What the capture is and what happened in it, as read. */
  shows: string;
  incidents: ExpectedIncident[];
  /** Lines that look alarming and are no incident, with why. */
  notIncidents: { lines: string[]; why: string }[];
}

export interface FoundIncident {
  kind: string;
  severity: string;
  root: string;
  start: string;
  end: string;
  summary: string;
}

export interface CaptureScore {
  capture: string;
  expected: number;
  found: number;
  missed: ExpectedIncident[];
  falseIncidents: FoundIncident[];
  /** Info-level incidents matching nothing (listed, not counted). */
  otherIncidents: FoundIncident[];
  elapsedMs: number;
}

const SLACK_SECONDS = 60;

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('no package.json above the evaluation module');
    dir = up;
  }
  return dir;
}

export const REAL_TRUTH_DIR = join(repoRoot(), 'test', 'real-incidents');
export const CORPUS_DIR = resolve(repoRoot(), '..', 'shared', 'corpus');

export function readCaptureTruths(dir = REAL_TRUTH_DIR): CaptureTruth[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CaptureTruth);
}

/** "MM-DDTHH:MM:SS" to seconds within a fixed leap year (the comparison ignores the year). */
function yearless(text: string): number {
  const m = /^(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)$/.exec(text);
  if (!m) throw new Error(`not an MM-DDTHH:MM:SS time: ${text}`);
  return Date.UTC(2000, Number(m[1]) - 1, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) / 1000;
}

function yearlessOf(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString().slice(5, 19);
}

function matches(e: ExpectedIncident, f: FoundIncident): boolean {
  if (e.kind !== f.kind || e.root !== f.root) return false;
  return yearless(f.start) <= yearless(e.end) + SLACK_SECONDS && yearless(f.end) >= yearless(e.start) - SLACK_SECONDS;
}

/** Ingests one capture into a fresh in-memory store, links it, and detects its incidents. */
export async function incidentsOfCapture(truth: CaptureTruth, corpusDir = CORPUS_DIR): Promise<FoundIncident[]> {
  const store = openStore(':memory:');
  try {
    await ingestPaths(store, truth.paths.map((p) => join(corpusDir, p)));
    linkObjects(store.correlation);
    detectIncidents(store);
    return store.incidents.list().map((i) => ({
      kind: i.kind,
      severity: i.severity,
      root: i.details.root?.label ?? '?',
      start: yearlessOf(i.start),
      end: yearlessOf(i.end),
      summary: i.summary,
    }));
  } finally {
    store.close();
  }
}

export function scoreCapture(truth: CaptureTruth, found: readonly FoundIncident[], elapsedMs = 0): CaptureScore {
  const used = new Set<number>();
  const missed: ExpectedIncident[] = [];
  for (const e of truth.incidents) {
    const i = found.findIndex((f, n) => !used.has(n) && matches(e, f));
    if (i < 0) missed.push(e);
    else used.add(i);
  }
  const unmatched = found.filter((_, n) => !used.has(n));
  const counted = (f: FoundIncident): boolean => severityRank(f.severity as Parameters<typeof severityRank>[0]) >= severityRank('warn');
  return {
    capture: truth.capture,
    expected: truth.incidents.length,
    found: truth.incidents.length - missed.length,
    missed,
    falseIncidents: unmatched.filter(counted),
    otherIncidents: unmatched.filter((f) => !counted(f)),
    elapsedMs,
  };
}

export async function evaluateReal(truths = readCaptureTruths(), corpusDir = CORPUS_DIR): Promise<CaptureScore[]> {
  const scores: CaptureScore[] = [];
  for (const t of truths) {
    const started = performance.now();
    const found = await incidentsOfCapture(t, corpusDir);
    scores.push(scoreCapture(t, found, Math.round(performance.now() - started)));
  }
  return scores;
}

export interface RealTotals {
  expected: number;
  found: number;
  falseIncidents: number;
  /** Correct incidents over all incidents reported at warning or above (1 when none was). */
  precision: number;
  /** Expected incidents found (1 when none was expected). */
  recall: number;
}

export function realTotals(scores: readonly CaptureScore[]): RealTotals {
  const expected = scores.reduce((n, s) => n + s.expected, 0);
  const found = scores.reduce((n, s) => n + s.found, 0);
  const falseIncidents = scores.reduce((n, s) => n + s.falseIncidents.length, 0);
  return {
    expected,
    found,
    falseIncidents,
    precision: found + falseIncidents === 0 ? 1 : found / (found + falseIncidents),
    recall: expected === 0 ? 1 : found / expected,
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function formatRealTable(scores: readonly CaptureScore[]): string {
  const rows = [['capture', 'expected', 'found', 'false', 'other', 'seconds']];
  for (const s of scores) rows.push([s.capture, String(s.expected), String(s.found), String(s.falseIncidents.length), String(s.otherIncidents.length), (s.elapsedMs / 1000).toFixed(1)]);
  const t = realTotals(scores);
  rows.push(['total', String(t.expected), String(t.found), String(t.falseIncidents), '', '']);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]): string => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ');
  const out = ['real captures (test/real-incidents)', line(rows[0]!), ...rows.slice(1, -1).map(line), line(rows[rows.length - 1]!)];
  out.push(`precision ${pct(t.precision)}  recall ${pct(t.recall)}`);
  for (const s of scores) {
    for (const m of s.missed) out.push(`  ${s.capture}: missed ${m.kind} ${m.root} (${m.start}..${m.end})`);
    for (const f of s.falseIncidents) out.push(`  ${s.capture}: false ${f.kind} ${f.root} (${f.start}..${f.end}): ${f.summary}`);
  }
  return out.join('\n') + '\n';
}
