/**
 * `ktrail incidents [PATH...] [--db FILE] [-o json]`: what went wrong, with the lines that prove
 * it: each incident's kind, severity, span, root object, the components whose logs show it, its
 * cause chain, and its evidence as file:line, proof first (store.ts EVIDENCE_ROLES), each line
 * with what makes it evidence (output/evidence-fields.ts).
 */
import { colorEnabled, makeChalk, severityColor } from '../output/colors.js';
import { evidenceFields } from '../output/evidence-fields.js';
import type { EvidenceRow, IncidentRecord, KtrailStore, StoredEvent } from '../store/store.js';
import { neutralize } from '../util/sanitize.js';
import { formatMicros } from '../util/time.js';
import type { Diagnostics } from './diagnostics.js';
import { openStoreFor, type StoreFlags } from './open-store.js';

export interface IncidentOut {
  id: number;
  /** The cluster it was detected in. */
  cluster: string;
  kind: string;
  severity: string;
  start: string;
  end: string;
  summary: string;
  root: { uid: string | null; kind: string | null; namespace: string | null; name: string | null } | null;
  details: unknown;
  evidence: { eventId: number; role: string; component: string; writer?: string; time: string; file: string; line: number; message: string; facts: string }[];
}

/** An incident's evidence lines (strongest role first), each with what makes it evidence. */
function evidenceOut(rows: readonly EvidenceRow[], events: ReadonlyMap<number, StoredEvent>): IncidentOut['evidence'] {
  return rows.map((v) => {
    const e = events.get(v.eventId);
    return {
      eventId: v.eventId,
      role: v.role,
      component: v.component,
      ...(v.component === 'other' && v.writer ? { writer: v.writer } : {}),
      time: formatMicros(v.time),
      file: v.file,
      line: v.line,
      message: v.message,
      facts: e ? evidenceFields(e) : '',
    };
  });
}

/** Evidence events read per byIds call: many incidents' worth (a remote store pays per read). */
const EVENTS_PER_READ = 5000;

/** Every stored incident with its evidence (strongest role first), in time order. */
export function listIncidents(store: KtrailStore, evidencePerIncident = 50): IncidentOut[] {
  const out: IncidentOut[] = [];
  let pending: { record: IncidentRecord; evidence: EvidenceRow[] }[] = [];
  let pendingEvents = 0;
  const flush = (): void => {
    const events = new Map(store.events.byIds([...new Set(pending.flatMap((p) => p.evidence.map((v) => v.eventId)))]).map((e) => [e.id, e]));
    for (const { record: r, evidence } of pending) {
      out.push({
        id: r.id,
        cluster: r.cluster,
        kind: r.kind,
        severity: r.severity,
        start: formatMicros(r.start),
        end: formatMicros(r.end),
        summary: r.summary,
        root: r.root ? { uid: r.root.uid, kind: r.root.kind, namespace: r.root.namespace, name: r.root.name } : null,
        details: r.details.raw,
        evidence: evidenceOut(evidence, events),
      });
    }
    pending = [];
    pendingEvents = 0;
  };
  for (const record of store.incidents.list()) {
    const evidence = store.incidents.evidence(record.id, evidencePerIncident);
    pending.push({ record, evidence });
    pendingEvents += evidence.length;
    if (pendingEvents >= EVENTS_PER_READ) flush();
  }
  flush();
  return out;
}

/**
 * The root a rule named when it is no stored object (a host dialled, a webhook, a component on a
 * node): the label the rule gave it in the incident's details, else '-'.
 */
function ruleRootLabel(details: unknown): string {
  const label = (details as { root?: { label?: unknown } } | null)?.root?.label;
  return typeof label === 'string' && label ? label : '-';
}

/** `showCluster`: the store holds several clusters, so each incident names its own. */
export function formatIncidents(list: IncidentOut[], color: boolean, showCluster = false): string {
  const c = makeChalk(color);
  if (list.length === 0) return 'no incidents found\n';
  const out: string[] = [];
  for (const i of list) {
    const root = i.root ? `${i.root.kind?.toLowerCase()}/${i.root.namespace ? i.root.namespace + '/' : ''}${i.root.name ?? i.root.uid}` : ruleRootLabel(i.details);
    const cluster = showCluster ? ` ${c.dim('in')} ${neutralize(i.cluster || '-')}` : '';
    out.push(
      `${severityColor(c, i.severity as never)(i.severity.toUpperCase().padEnd(5))} ${c.bold(i.kind)} ${neutralize(root)}${cluster}  ${c.dim(`${i.start} .. ${i.end}`)}`,
    );
    out.push(`      ${neutralize(i.summary)}`);
    const details = i.details as { components?: string[]; causeChain?: { summary?: string; time?: number | string }[] } | null;
    if (details?.components?.length) out.push(c.dim(`      seen by: ${details.components.join(', ')}`));
    for (const step of details?.causeChain ?? []) out.push(c.dim(`      cause: ${neutralize(String(step.summary ?? ''))}`));
    for (const e of i.evidence.slice(0, 6)) {
      const facts = e.facts ? ' ' + c.dim(`[${neutralize(e.facts)}]`) : '';
      out.push(`      ${c.dim(`${e.file}:${e.line}`)} ${e.role.padEnd(8)} ${neutralize(e.writer ?? e.component)} ${neutralize(e.message.split('\n', 1)[0]!.slice(0, 120))}${facts}`);
    }
    if (i.evidence.length > 6) out.push(c.dim(`      ... ${i.evidence.length - 6} more evidence lines (-o json for all)`));
    out.push('');
  }
  return out.join('\n');
}

export async function runIncidents(paths: string[], flags: StoreFlags & { output?: string }, diag: Diagnostics): Promise<number> {
  // Read-only unless the store must be migrated first: readers of one store run side by side
  // (open-store.ts), and a long one (incidents of a 5M store: a minute) stops no trace.
  const { store } = await openStoreFor(paths, flags, diag, { preferReadOnly: true });
  try {
    const list = listIncidents(store, flags.output === 'json' ? 10_000 : 50);
    process.stdout.write(flags.output === 'json' ? JSON.stringify(list, null, 2) + '\n' : formatIncidents(list, colorEnabled(process.stdout), store.sources.clusters().length > 1));
    return diag.count > 0 ? 1 : 0;
  } finally {
    store.close();
  }
}
