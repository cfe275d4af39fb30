/**
 * What makes a line evidence, in a few words: the facts its signals state (an exit code, the
 * image, the back-off, the scheduler's reason; src/signals/), or, for a line that states no
 * signal (context: a Scheduled Event, an audit PATCH), the fields that matter for its kind of line
 * (line-fields.ts). Shown beside each evidence line by `ktrail incidents`, the TUI's incident pane
 * and the CI reports, so the reader sees why the line is there without opening it.
 */
import { severityRank, type Severity } from '../model/event.js';
import { evidenceSignals } from '../signals/index.js';
import { keyFields, MAX_FIELD_CHARS, saidInMessage, type FieldedLine } from './line-fields.js';

export type EvidenceLineInput = FieldedLine & { severity: Severity };

/** Facts that say where a signal came from, not what the line states (facts the message already shows are left out too). */
const BOOKKEEPING = new Set(['event', 'podless']);

function factValue(v: string | number | boolean): string {
  const s = String(v);
  return s.length > MAX_FIELD_CHARS ? s.slice(0, MAX_FIELD_CHARS - 1) + '…' : s;
}

/** "container-died exitCode=1 container=x" (several signals joined by "; "), else the line's key fields. */
export function evidenceFields(e: EvidenceLineInput): string {
  const stated = evidenceSignals({ component: e.component, message: e.message, fields: e.fields, severity: severityRank(e.severity) });
  if (stated.length === 0) return keyFields(e);
  return stated
    .map(({ name, facts }) => {
      const parts = Object.entries(facts)
        .filter(([k, v]) => !BOOKKEEPING.has(k) && !saidInMessage(e.message, v))
        .map(([k, v]) => `${k}=${factValue(v)}`);
      return parts.length ? `${name} ${parts.join(' ')}` : name;
    })
    .join('; ');
}
