/** Words and figures every report format shares, so that they say the same thing the same way. */
import type { ReportIncident, CiReport } from './types.js';

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** "error or above" / "nothing (only requirements fail the run)". */
export function failOnWords(r: CiReport): string {
  return r.failOn === 'none' ? 'no incident (only unmet requirements fail the run)' : `incidents at ${r.failOn} or above`;
}

/** The first evidence line's place, "kind-worker/kubelet.log:123", or "" when there is none. */
export function firstEvidence(i: ReportIncident): string {
  const e = i.evidence[0];
  return e ? `${e.file}:${e.line}` : '';
}

/** One line of what the run came to: "8 failing incidents, 1 requirement unmet". */
export function verdictWords(r: CiReport): string {
  const parts: string[] = [];
  if (r.totals.failing) parts.push(`${plural(r.totals.failing, 'failing incident')} (${r.failOn} or above)`);
  if (r.totals.requirementsUnmet) parts.push(`${plural(r.totals.requirementsUnmet, 'requirement')} unmet`);
  if (parts.length === 0) {
    parts.push(r.totals.incidents === 0 ? 'no incident' : `no failing incident (${plural(r.totals.incidents, 'incident')} below the threshold or accepted)`);
    if (r.totals.requirementsMet) parts.push(`${plural(r.totals.requirementsMet, 'requirement')} met`);
  }
  return parts.join(', ');
}

/** "14:51:13" from an RFC 3339 time: the clock time, for tables where the date repeats. */
export function clock(time: string): string {
  return time.slice(11, 19);
}

/** "2025-03-21 14:51:13Z" */
export function shortTime(time: string): string {
  return `${time.slice(0, 10)} ${time.slice(11, 19)}Z`;
}
