/**
 * `ktrail trace REF [PATH...] [--db FILE] [-o json]`: everything every component said about one
 * object and the objects it owns, in time order, with the time between steps.
 */
import { describeObject, resolveNewest, type ResolvedRef } from '../correlate/resolve-ref.js';
import type { LinkedObject, StoredEvent, StoredObject, Timeline } from '../store/store.js';
import { colorEnabled, makeChalk } from '../output/colors.js';
import { formatGap } from '../output/duration.js';
import { eventJson } from '../output/event-json.js';
import { formatEventLine } from '../output/text.js';
import { drained } from '../util/drain.js';
import { neutralize } from '../util/sanitize.js';
import { formatMicros } from '../util/time.js';
import type { Diagnostics } from './diagnostics.js';
import { openStoreFor, type StoreFlags } from './open-store.js';
import { timelinesJson, type TimelineDoc } from './trace-json.js';
import { UsageError } from './usage-error.js';

export type LinkedObjectOut = Omit<LinkedObject, 'id'>;

/**
 * A name that many objects had (a StatefulSet pod recreated, a simulator reusing names: 12,887
 * pods called default/web-9 in the 5M-event store) shows its newest objects only, unless --all:
 * the other timelines, 84k lines there, bury the one a user asks about, and a uid traces any of
 * them. A name reused a few times shows every object, as its earlier lives are part of the story.
 */
export const NEWEST_SHOWN = 10;

/**
 * The note for stderr when a reference matched more objects than are shown: how many, the span of
 * their first sightings, and how to see them.
 */
export function newestNote(ref: string, resolved: ResolvedRef): string | undefined {
  if (resolved.count <= resolved.objects.length) return undefined;
  const { firstSeen, lastSeen } = resolved;
  const span = firstSeen !== null && lastSeen !== null ? ` (first seen ${formatMicros(firstSeen)} to ${formatMicros(lastSeen)})` : '';
  // A plain count, not toLocaleString: its first call starts ICU, 12 ms of a trace's time.
  const note = `ktrail: ${resolved.count} objects match ${JSON.stringify(ref)}${span}; showing the newest ${resolved.objects.length} (--all: every one; a uid: any one)`;
  return neutralize(note);
}

/** An event's links for machine output (store ids are not part of it). */
export function linksJson(links: readonly LinkedObject[] | undefined): LinkedObjectOut[] {
  return (links ?? []).map(({ id: _, ...rest }) => rest);
}

/**
 * A timeline's JSON document, its events made as they are written (trace-json.ts). `links`: the
 * links of the timeline's events (read for all timelines at once by the caller).
 */
export function timelineJson(t: Timeline, events: Map<number, StoredEvent>, links: Map<number, LinkedObject[]>): TimelineDoc {
  const objOut = (o: StoredObject & { depth?: number }) => ({
    cluster: o.cluster,
    uid: o.uid,
    kind: o.kind,
    namespace: o.namespace,
    name: o.name,
    firstSeen: o.first_seen,
    lastSeen: o.last_seen,
    depth: o.depth,
  });
  return {
    shell: { root: objOut(t.root), objects: t.objects.map(objOut) },
    events: (function* () {
      for (const s of t.steps) {
        yield { ...eventJson(events.get(s.eventId)!), sincePreviousUs: s.sincePrevious, objects: linksJson(links.get(s.eventId)) };
      }
    })(),
  };
}

/** `showCluster`: the store holds several clusters, so the root names its cluster and each line its event's. */
export function formatTimeline(t: Timeline, events: Map<number, StoredEvent>, color: boolean, showCluster = false): string {
  const c = makeChalk(color);
  const byId = new Map(t.objects.map((o) => [o.id, o]));
  const lines: string[] = [];
  const r = t.root;
  lines.push(c.bold(neutralize(`${describeObject(r)}${r.uid ? `  uid ${r.uid}` : ''}${showCluster ? `  cluster ${r.cluster || '-'}` : ''}`)));
  for (const o of t.objects.slice(1)) {
    lines.push(`${'  '.repeat(o.depth)}└ ${neutralize(describeObject(o))}${o.uid ? c.dim(`  ${o.uid}`) : ''}${o.ownerVia === 'name-pattern' ? c.dim(' (owner guessed from its name)') : ''}`);
  }
  if (t.steps.length === 0) {
    lines.push('', 'no events mention it');
    return lines.join('\n') + '\n';
  }
  lines.push(c.dim(`${t.steps.length} events, ${formatMicros(t.steps[0]!.time)} to ${formatMicros(t.steps[t.steps.length - 1]!.time)}`), '');
  for (const s of t.steps) {
    const e = events.get(s.eventId)!;
    const others = s.links.filter((l) => l.objectId !== r.id).map((l) => byId.get(l.objectId)!);
    const about = others.length && !s.links.some((l) => l.objectId === r.id) ? c.dim(` [${neutralize(others.map((o) => describeObject(o)).join(', '))}]`) : '';
    lines.push(`${c.dim(formatGap(s.sincePrevious).padStart(8))} ${formatEventLine(e, c, showCluster)}${about}`);
  }
  return lines.join('\n') + '\n';
}

export async function runTrace(
  ref: string,
  paths: string[],
  flags: StoreFlags & { output?: string; all?: boolean },
  diag: Diagnostics,
): Promise<number> {
  // Read-only unless the store must be migrated first: traces run side by side (open-store.ts).
  const { store } = await openStoreFor(paths, flags, diag, { preferReadOnly: true });
  try {
    // Only the newest are read from the store: their count and span come from its index.
    const resolved = resolveNewest(store.objects, ref, flags.all === true ? Infinity : NEWEST_SHOWN);
    const matches = resolved.objects;
    if (matches.length === 0) throw new UsageError(`no object matches "${ref}" (try pod/NAMESPACE/NAME, NAMESPACE/NAME, node/NAME or a UID)`);
    const note = newestNote(ref, resolved);
    if (note) process.stderr.write(note + '\n');
    const showCluster = store.sources.clusters().length > 1;
    // A name a thousand pods had is a thousand timelines: read them, their events and (for JSON)
    // their links all at once, not per root (on ClickHouse each read is a round trip).
    const timelines = store.objects.timelines(matches);
    const ids = [...new Set(timelines.flatMap((t) => t.steps.map((s) => s.eventId)))];
    // Without the parsers' references: text does not show them, and JSON gives each step the
    // correlator's links as its objects instead (timelineJson).
    const events = new Map(store.events.byIds(ids, { refs: false }).map((e) => [e.id, e]));
    const links = flags.output === 'json' ? store.objects.linksOfEvents(ids) : new Map<number, LinkedObject[]>();
    // Written piece by piece, waiting for the reader: a timeline of hundreds of thousands of
    // events is more text than one string holds.
    const pieces =
      flags.output === 'json'
        ? timelinesJson(timelines.map((t) => timelineJson(t, events, links)))
        : timelines.map((t, i) => (i > 0 ? '\n' : '') + formatTimeline(t, events, colorEnabled(process.stdout), showCluster));
    for (const piece of pieces) if (!process.stdout.write(piece)) await drained(process.stdout);
    return diag.count > 0 ? 1 : 0;
  } finally {
    store.close();
  }
}
