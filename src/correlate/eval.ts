/**
 * The correlator's evaluation against the simulator's ground truth. For every scenario: simulate
 * it (seed 1 and default options, or each run asked for) into a temporary folder, ingest the bundle into an in-memory store,
 * link (link.ts), detect incidents (incidents/), and score
 *  (a) event-to-object links of confidence >= 0.5 against truth/lines.jsonl: precision and recall;
 *  (b) each truth incident: found (same kind, root object UID, overlapping in time), and whether
 *      its evidence covers every component the truth names;
 *  (c) false incidents: incidents of any level that match no truth incident.
 * Truth and stored incidents pair one to one. The thresholds (THRESHOLDS, thresholdFailures) hold
 * for each scenario of each run on its own; the command exits 1 when one does not.
 *
 *   node dist/src/correlate/eval.js [--json] [--scenario NAME]... [--seed N]... [--matrix]
 *        [--k8s-version 1.20|1.32] [--logging-format text|json] [--scale N] [--duration SECONDS]
 *
 * --matrix runs seeds 1..3 x k8s 1.20, 1.32 x text, JSON logging (MATRIX).
 *
 * The scoring functions are exported for test/src/correlate/eval.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runSimulation, SCENARIOS, type RunSimulationOptions } from '../sim/index.js';
import type { EventLink, KtrailStore } from '../store/store.js';
import { openStore } from '../store/writer.js';
import { ingestPaths } from './ingest-paths.js';
import { severityRank } from '../model/event.js';
import { detectIncidents } from './incidents/index.js';
import { linkObjects } from './link.js';

/** The link confidence the evaluation counts (as the brief of link.ts says). */
export const MIN_CONFIDENCE = 0.5;
/** Clock slack when comparing an incident's span with the truth's (node clocks are skewed). */
const OVERLAP_SLACK = 5_000_000;

export interface TruthLine {
  file: string;
  line: number;
  objects: string[];
  incident: string | null;
}

export interface TruthIncident {
  id: string;
  kind: string;
  root: string;
  /** Epoch microseconds. */
  start: number;
  end: number;
  components: string[];
}

export interface TruthObject {
  uid: string;
  kind: string;
  namespace: string | null;
  name: string;
  /** Epoch microseconds; deleted null while it lives. */
  created: number;
  deleted: number | null;
}

export interface Truth {
  lines: TruthLine[];
  incidents: TruthIncident[];
  objects: TruthObject[];
}

function micros(iso: string): number {
  return Date.parse(iso) * 1000 + Number((/\.\d{3}(\d{3})/.exec(iso) ?? [])[1] ?? 0);
}

/** Reads OUT/truth/ as runSimulation writes it. */
export function readTruth(truthDir: string): Truth {
  const lines: TruthLine[] = [];
  for (const text of readFileSync(join(truthDir, 'lines.jsonl'), 'utf8').split('\n')) {
    if (text) lines.push(JSON.parse(text) as TruthLine);
  }
  const incidents = (JSON.parse(readFileSync(join(truthDir, 'incidents.json'), 'utf8')) as (Omit<TruthIncident, 'start' | 'end'> & { start: string; end: string })[]).map(
    (i) => ({ ...i, start: micros(i.start), end: micros(i.end) }),
  );
  const objects = (JSON.parse(readFileSync(join(truthDir, 'objects.json'), 'utf8')) as (Omit<TruthObject, 'created' | 'deleted'> & { created: string; deleted: string | null })[]).map(
    (o) => ({ ...o, created: micros(o.created), deleted: o.deleted ? micros(o.deleted) : null }),
  );
  return { lines, incidents, objects };
}

// -------------------------------------------------------------------------------------------------
// (a) links

export interface LinkScore {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  /** Stored events that cover at least one truth line. */
  eventsScored: number;
  /** Truth lines with objects that no stored event covers (counted as missed links). */
  uncoveredTruthLines: number;
}

type StoredLink = EventLink;

/**
 * The truth UID a stored object stands for: its UID, or (for an object the logs name without a
 * UID) the truth object of that kind and name alive at the event's time.
 */
function truthUidResolver(objects: readonly TruthObject[]): (l: StoredLink) => string | undefined {
  const byName = new Map<string, TruthObject[]>();
  for (const o of objects) {
    const key = `${o.kind.toLowerCase()}\u0000${o.namespace ?? ''}\u0000${o.name}`;
    const list = byName.get(key) ?? [];
    list.push(o);
    byName.set(key, list);
  }
  return (l) => {
    if (l.uid) return l.uid;
    if (!l.name) return undefined;
    const list = byName.get(`${l.kind.toLowerCase()}\u0000${l.namespace ?? ''}\u0000${l.name}`);
    if (!list) return undefined;
    const alive = list.filter((o) => o.created - OVERLAP_SLACK <= l.time && (o.deleted === null || l.time <= o.deleted + OVERLAP_SLACK));
    return (alive.length === 1 ? alive[0] : list.length === 1 ? list[0] : undefined)?.uid;
  };
}

/** Finds the stored event covering a truth (file, line): source display == file, line in [line, end_line]. */
function eventLocator(store: KtrailStore): (file: string, line: number) => { id: number; component: string } | undefined {
  // Stored events by file, sorted by first line, searched by bisection.
  const spans = new Map<string, { id: number; line: number; end: number; component: string }[]>();
  for (const r of store.events.locations()) {
    const list = spans.get(r.file) ?? [];
    list.push({ id: r.id, line: r.line, end: r.endLine, component: r.component });
    spans.set(r.file, list);
  }
  return (file, line) => {
    const list = spans.get(file);
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = list[mid]!;
      if (line < s.line) hi = mid - 1;
      else if (line > s.end) lo = mid + 1;
      else return s;
    }
    return undefined;
  };
}

/** The components of the stored events that show each truth incident (its tagged lines). */
export function taggedComponents(store: KtrailStore, lines: readonly TruthLine[]): Map<string, Set<string>> {
  const locate = eventLocator(store);
  const out = new Map<string, Set<string>>();
  for (const t of lines) {
    if (!t.incident) continue;
    const e = locate(t.file, t.line);
    if (!e) continue;
    const set = out.get(t.incident) ?? new Set<string>();
    set.add(e.component);
    out.set(t.incident, set);
  }
  return out;
}

/**
 * kind's journal.log holds every line of kubelet.log and containerd.log again, and ktrail reads
 * each such line once, from the extract. A truth line of journal.log that ktrail set aside is
 * therefore scored on the event its twin line became (same node, same text).
 */
function journalTwinLocator(store: KtrailStore, bundleDir: string): (file: string, line: number) => number | undefined {
  const byText = new Map<string, number>();
  for (const r of store.events.rawOfSources(['/kubelet.log', '/containerd.log'])) {
    const node = r.file.slice(0, r.file.lastIndexOf('/'));
    for (const line of r.raw.split('\n')) byText.set(`${node}\u0000${line}`, r.id);
  }
  const files = new Map<string, string[]>();
  return (file, line) => {
    if (!file.endsWith('/journal.log')) return undefined;
    let lines = files.get(file);
    if (!lines) {
      try {
        lines = readFileSync(join(bundleDir, file), 'utf8').split('\n');
      } catch {
        lines = [];
      }
      files.set(file, lines);
    }
    const text = lines[line - 1];
    return text === undefined ? undefined : byText.get(`${file.slice(0, file.lastIndexOf('/'))}\u0000${text}`);
  };
}

export function scoreLinks(
  store: KtrailStore,
  truth: Pick<Truth, 'lines' | 'objects'>,
  minConfidence = MIN_CONFIDENCE,
  bundleDir?: string,
): LinkScore {
  const locate = eventLocator(store);
  const twin = bundleDir ? journalTwinLocator(store, bundleDir) : () => undefined;
  const covering = (file: string, line: number): number | undefined => locate(file, line)?.id ?? twin(file, line);
  const expected = new Map<number, Set<string>>();
  let uncovered = 0;
  let uncoveredObjects = 0;
  for (const t of truth.lines) {
    const id = covering(t.file, t.line);
    if (id === undefined) {
      if (t.objects.length) {
        uncovered++;
        uncoveredObjects += t.objects.length;
      }
      continue;
    }
    const set = expected.get(id) ?? new Set<string>();
    for (const o of t.objects) set.add(o);
    expected.set(id, set);
  }
  const predicted = new Map<number, Set<string>>();
  const toTruth = truthUidResolver(truth.objects);
  for (const l of store.objects.allLinks(minConfidence)) {
    if (!expected.has(l.eventId)) continue; // an event the truth does not describe
    const set = predicted.get(l.eventId) ?? new Set<string>();
    set.add(toTruth(l) ?? `?${l.kind}/${l.namespace ?? ''}/${l.name ?? ''}`);
    predicted.set(l.eventId, set);
  }
  let tp = 0;
  let fp = 0;
  let fn = uncoveredObjects;
  for (const [id, want] of expected) {
    const got = predicted.get(id) ?? new Set<string>();
    for (const u of got) if (want.has(u)) tp++;
    else fp++;
    for (const u of want) if (!got.has(u)) fn++;
  }
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    eventsScored: expected.size,
    uncoveredTruthLines: uncovered,
  };
}

// -------------------------------------------------------------------------------------------------
// (b), (c) incidents

export interface StoredIncident {
  id: number;
  kind: string;
  severity: number;
  start: number;
  end: number;
  rootUid: string | null;
  rootKind: string | null;
  rootNamespace: string | null;
  rootName: string | null;
  summary: string;
  components: string[];
}

export interface IncidentMatch {
  truth: TruthIncident;
  found: boolean;
  incidentId: number | null;
  /** 'uid', or 'name' when the truth root's UID is written nowhere in the logs (see below). */
  rootMatchedBy: 'uid' | 'name' | null;
  /** The evidence covers every component the truth names. */
  componentsCovered: boolean;
  missingComponents: string[];
  /**
   * Of the missing components, those with no line tagged with this incident at all: the truth
   * names them but the run wrote nothing of theirs to find.
   */
  unreachableComponents: string[];
}

export interface IncidentScore {
  matches: IncidentMatch[];
  /**
   * Stored incidents that match no truth incident, whatever their level: a warn-level incident
   * nobody caused is as misleading to a reader as an error-level one.
   */
  falseIncidents: StoredIncident[];
}

export function readIncidents(store: KtrailStore): StoredIncident[] {
  return store.incidents.list().map((r) => ({
    id: r.id,
    kind: r.kind,
    severity: severityRank(r.severity),
    start: r.start,
    end: r.end,
    // A root that is no stored object (a webhook, a host:port, a component) is the rule's reference.
    rootUid: r.root?.uid ?? null,
    rootKind: r.root?.kind ?? r.details.root?.kind ?? null,
    rootNamespace: r.root ? r.root.namespace : (r.details.root?.namespace ?? null),
    rootName: r.root?.name ?? r.details.root?.name ?? null,
    summary: r.summary,
    components: r.details.components,
  }));
}

/**
 * The largest one-to-one pairing of truth incidents with stored incidents, given which stored
 * incidents each truth incident would accept (Kuhn's augmenting paths; the lists are short).
 * One stored incident satisfies at most one truth incident: a one-hour crash loop cannot count
 * as two separate truth crash loops found.
 */
export function matchOneToOne(candidates: readonly (readonly number[])[]): (number | undefined)[] {
  const owner = new Map<number, number>(); // stored incident -> truth index
  const tryAssign = (t: number, seen: Set<number>): boolean => {
    for (const c of candidates[t]!) {
      if (seen.has(c)) continue;
      seen.add(c);
      const current = owner.get(c);
      if (current === undefined || tryAssign(current, seen)) {
        owner.set(c, t);
        return true;
      }
    }
    return false;
  };
  for (let t = 0; t < candidates.length; t++) tryAssign(t, new Set());
  const out: (number | undefined)[] = candidates.map(() => undefined);
  for (const [c, t] of owner) out[t] = c;
  return out;
}

/**
 * Matches stored incidents to the truth's, one to one (matchOneToOne). A match needs the same
 * kind, overlapping time and the same root. The root matches by UID. A truth root whose UID no
 * stored object has (the simulator names a Service by a UID no log line carries: nothing could
 * find it) matches by the truth object's kind, namespace and name instead, and says so.
 */
export function scoreIncidents(store: KtrailStore, truth: Truth): IncidentScore {
  const tagged = taggedComponents(store, truth.lines);
  const incidents = readIncidents(store);
  const knownUids = new Set(store.objects.uids());
  const truthObject = new Map(truth.objects.map((o) => [o.uid, o]));
  const rootMatch = (t: TruthIncident, i: StoredIncident): 'uid' | 'name' | null => {
    if (i.rootUid && i.rootUid === t.root) return 'uid';
    if (knownUids.has(t.root)) return null;
    const o = truthObject.get(t.root);
    if (o && i.rootKind === o.kind && (i.rootNamespace ?? null) === (o.namespace ?? null) && i.rootName === o.name) return 'name';
    return null;
  };
  const overlaps = (t: TruthIncident, i: StoredIncident): boolean => i.start <= t.end + OVERLAP_SLACK && i.end >= t.start - OVERLAP_SLACK;
  // Candidates nearest in start time first, so that of equal pairings the closest one is kept.
  const candidates = truth.incidents.map((t) =>
    incidents
      .map((i, index) => ({ i, index }))
      .filter(({ i }) => i.kind === t.kind && overlaps(t, i) && rootMatch(t, i) !== null)
      .sort((x, y) => Math.abs(x.i.start - t.start) - Math.abs(y.i.start - t.start))
      .map(({ index }) => index),
  );
  const paired = matchOneToOne(candidates);
  const matches: IncidentMatch[] = truth.incidents.map((t, ti) => {
    const shown = tagged.get(t.id) ?? new Set<string>();
    const index = paired[ti];
    if (index === undefined) {
      return {
        truth: t,
        found: false,
        incidentId: null,
        rootMatchedBy: null,
        componentsCovered: false,
        missingComponents: [...t.components],
        unreachableComponents: t.components.filter((c) => !shown.has(c)),
      };
    }
    const i = incidents[index]!;
    const missing = t.components.filter((c) => !i.components.includes(c));
    return {
      truth: t,
      found: true,
      incidentId: i.id,
      rootMatchedBy: rootMatch(t, i),
      componentsCovered: missing.length === 0,
      missingComponents: missing,
      unreachableComponents: missing.filter((c) => !shown.has(c)),
    };
  });
  const used = new Set(paired.filter((x): x is number => x !== undefined));
  return { matches, falseIncidents: incidents.filter((_, index) => !used.has(index)) };
}

// -------------------------------------------------------------------------------------------------
// Running a scenario

export interface ScenarioScore {
  scenario: string;
  /** The run it belongs to: seed, k8s version, logging format (variantLabel). */
  variant: string;
  events: number;
  links: LinkScore;
  incidents: IncidentScore;
  ms: { simulate: number; ingest: number; link: number; detect: number };
}

// Reading paths into a store lives in ingest-paths.ts, which the real-capture benchmark shares.
export { ingestPaths } from './ingest-paths.js';

/** Simulator options besides the scenario, seed and folder (the evaluation uses the defaults). */
export type SimVariant = Omit<RunSimulationOptions, 'scenario' | 'seed' | 'out'>;

/** One simulated run's settings: the seed and the simulator options that change what is logged. */
export interface EvalRun {
  seed: number;
  variant: SimVariant;
}

/** "seed 2, k8s 1.20, json": how a run is named in tables and failures. */
export function variantLabel(run: EvalRun): string {
  return `seed ${run.seed}, k8s ${run.variant.k8sVersion ?? '1.32'}, ${run.variant.loggingFormat ?? 'text'}`;
}

/**
 * Every run the thresholds are held over: seeds 1..3 crossed with both k8s versions and both
 * logging formats (`npm run eval -- --matrix`).
 */
export const MATRIX: readonly EvalRun[] = [1, 2, 3].flatMap((seed) =>
  (['1.32', '1.20'] as const).flatMap((k8sVersion) => (['text', 'json'] as const).map((loggingFormat) => ({ seed, variant: { k8sVersion, loggingFormat } }))),
);

export async function evaluateScenario(scenario: string, seed = 1, variant: SimVariant = {}): Promise<ScenarioScore> {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-eval-'));
  const store = openStore(':memory:');
  try {
    let t = performance.now();
    await runSimulation({ ...variant, scenario, seed, out: dir });
    const simulate = performance.now() - t;
    t = performance.now();
    const events = await ingestPaths(store, [join(dir, 'bundle')]);
    const ingest = performance.now() - t;
    t = performance.now();
    linkObjects(store.correlation);
    const link = performance.now() - t;
    t = performance.now();
    detectIncidents(store);
    const detect = performance.now() - t;
    const truth = readTruth(join(dir, 'truth'));
    return {
      scenario,
      variant: variantLabel({ seed, variant }),
      events,
      links: scoreLinks(store, truth, MIN_CONFIDENCE, join(dir, 'bundle')),
      incidents: scoreIncidents(store, truth),
      ms: { simulate: Math.round(simulate), ingest: Math.round(ingest), link: Math.round(link), detect: Math.round(detect) },
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What every scenario of every run must reach on its own (pooled totals hide a scenario that
 * falls short): link precision and recall of confidence >= 0.5 links, every truth incident found,
 * its evidence covering every component the truth names, and no false incident at all.
 */
export const THRESHOLDS = { linkPrecision: 0.99, linkRecall: 0.95 } as const;

/** The thresholds one scenario's score misses, each as a sentence; empty when it holds them all. */
export function thresholdFailures(s: ScenarioScore, thresholds: { linkPrecision: number; linkRecall: number } = THRESHOLDS): string[] {
  const where = `${s.scenario} (${s.variant})`;
  const out: string[] = [];
  if (s.links.precision < thresholds.linkPrecision) out.push(`${where}: link precision ${pct(s.links.precision)} < ${pct(thresholds.linkPrecision)}`);
  if (s.links.recall < thresholds.linkRecall) out.push(`${where}: link recall ${pct(s.links.recall)} < ${pct(thresholds.linkRecall)}`);
  for (const m of s.incidents.matches) {
    if (!m.found) out.push(`${where}: MISSED ${m.truth.kind} root ${m.truth.root}`);
    else if (!m.componentsCovered) out.push(`${where}: ${m.truth.kind} (#${m.incidentId}) evidence lacks ${m.missingComponents.join(', ')}`);
  }
  for (const f of s.incidents.falseIncidents) out.push(`${where}: FALSE ${f.kind} (severity ${f.severity}) #${f.id}: ${f.summary}`);
  return out;
}

export interface Totals {
  precision: number;
  recall: number;
  truthIncidents: number;
  found: number;
  covered: number;
  falseIncidents: number;
}

export function totals(scores: readonly ScenarioScore[]): Totals {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const out = { truthIncidents: 0, found: 0, covered: 0, falseIncidents: 0 };
  for (const s of scores) {
    tp += s.links.truePositives;
    fp += s.links.falsePositives;
    fn += s.links.falseNegatives;
    out.truthIncidents += s.incidents.matches.length;
    out.found += s.incidents.matches.filter((m) => m.found).length;
    out.covered += s.incidents.matches.filter((m) => m.componentsCovered).length;
    out.falseIncidents += s.incidents.falseIncidents.length;
  }
  return { precision: tp + fp ? tp / (tp + fp) : 1, recall: tp + fn ? tp / (tp + fn) : 1, ...out };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

/** The per-scenario table (one row per scenario and run), the pooled total, then every shortfall. */
export function formatTable(scores: readonly ScenarioScore[]): string {
  const head = ['scenario', 'run', 'events', 'link P', 'link R', 'found', 'covered', 'false', 'ok'];
  const rows = scores.map((s) => [
    s.scenario,
    s.variant,
    String(s.events),
    pct(s.links.precision),
    pct(s.links.recall),
    `${s.incidents.matches.filter((m) => m.found).length}/${s.incidents.matches.length}`,
    `${s.incidents.matches.filter((m) => m.componentsCovered).length}/${s.incidents.matches.length}`,
    String(s.incidents.falseIncidents.length),
    thresholdFailures(s).length ? 'NO' : 'yes',
  ]);
  const t = totals(scores);
  const failing = scores.filter((s) => thresholdFailures(s).length).length;
  rows.push(['total', `${scores.length} scored`, String(scores.reduce((n, s) => n + s.events, 0)), pct(t.precision), pct(t.recall), `${t.found}/${t.truthIncidents}`, `${t.covered}/${t.truthIncidents}`, String(t.falseIncidents), failing ? `${failing} NO` : 'yes']);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const rule = line(widths.map((w) => '-'.repeat(w)));
  const out = [line(head), rule, ...rows.slice(0, -1).map(line), rule, line(rows[rows.length - 1]!)];
  out.push(`thresholds per scenario: link precision >= ${pct(THRESHOLDS.linkPrecision)}, recall >= ${pct(THRESHOLDS.linkRecall)}, every incident found with every component, none false`);
  // The details a reader needs to act: what was missed, what was extra.
  for (const s of scores) {
    for (const f of thresholdFailures(s)) out.push(`  ${f}`);
    for (const m of s.incidents.matches) {
      if (m.found && !m.componentsCovered && m.unreachableComponents.length) {
        out.push(`  ${s.scenario} (${s.variant}): no line of ${m.unreachableComponents.join(', ')} is tagged with ${m.truth.kind} in the truth`);
      }
      if (m.rootMatchedBy === 'name') out.push(`  ${s.scenario} (${s.variant}): ${m.truth.kind} root matched by name (its UID is in no log line)`);
    }
  }
  return out.join('\n') + '\n';
}

/**
 * The command line. One table of options (node:util parseArgs): a new flag is one entry here and
 * one branch in main.
 */
export const CLI_OPTIONS = {
  json: { type: 'boolean' },
  matrix: { type: 'boolean' },
  real: { type: 'boolean' },
  scenario: { type: 'string', multiple: true },
  seed: { type: 'string', multiple: true },
  'k8s-version': { type: 'string' },
  'logging-format': { type: 'string' },
  scale: { type: 'string' },
  duration: { type: 'string' },
} as const;

/** The runs the command line asks for: --matrix, or each --seed (default 1) with the options given. */
export function runsFromArgs(values: ReturnType<typeof parseArgs<{ options: typeof CLI_OPTIONS }>>['values']): EvalRun[] {
  if (values.matrix) return [...MATRIX];
  const variant: SimVariant = {};
  const version = values['k8s-version'];
  if (version !== undefined) {
    if (version !== '1.20' && version !== '1.32') throw new Error(`--k8s-version must be 1.20 or 1.32, not ${version}`);
    variant.k8sVersion = version;
  }
  const format = values['logging-format'];
  if (format !== undefined) {
    if (format !== 'text' && format !== 'json') throw new Error(`--logging-format must be text or json, not ${format}`);
    variant.loggingFormat = format;
  }
  if (values.scale !== undefined) variant.scale = Number(values.scale);
  if (values.duration !== undefined) variant.durationSec = Number(values.duration);
  const seeds = (values.seed ?? ['1']).map((x) => {
    const n = Number(x);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--seed must be a whole number, not ${x}`);
    return n;
  });
  return seeds.map((seed) => ({ seed, variant }));
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: CLI_OPTIONS, strict: true });
  const runs = runsFromArgs(values);
  const scenarios = values.scenario?.length ? values.scenario : [...SCENARIOS];
  const scores: ScenarioScore[] = [];
  for (const run of runs) {
    for (const s of scenarios) {
      scores.push(await evaluateScenario(s, run.seed, run.variant));
      if (!values.json) process.stderr.write(`evaluated ${s} (${variantLabel(run)})\n`);
    }
  }
  const failures = scores.flatMap((s) => thresholdFailures(s));
  if (values.json) process.stdout.write(JSON.stringify({ runs, scenarios: scores, totals: totals(scores), failures }, null, 2) + '\n');
  else process.stdout.write(formatTable(scores));
  // --real: the real captures' benchmark beside the simulator's (eval-real.ts).
  if (values.real) {
    const real = await import('./eval-real.js');
    const realScores = await real.evaluateReal();
    if (values.json) process.stdout.write(JSON.stringify({ real: realScores, realTotals: real.realTotals(realScores) }, null, 2) + '\n');
    else process.stdout.write('\n' + real.formatRealTable(realScores));
  }
  // A scenario below its thresholds makes the command fail, so CI can run it as a gate.
  if (failures.length) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
