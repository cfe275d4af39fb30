/**
 * GitHub Actions annotations (workflow commands on stdout): `::error` for each failing incident
 * and unmet requirement, `::warning` for incidents below the threshold, `::notice` for accepted
 * ones, each pointing at its first evidence line. Messages and properties are escaped by the
 * workflow-command rules (% CR LF, and : , in properties).
 */
import { workflowData, workflowProperty } from './escape.js';
import type { CiReport } from './types.js';

/** GitHub shows a limited number of annotations per step; past this they only clutter the log. */
export const MAX_ANNOTATIONS = 50;

/**
 * `locate` turns an evidence file (as ktrail names it) into the path GitHub should link: relative
 * to the workspace for a folder input; undefined when there is no such file (an archive's entry).
 */
export function formatAnnotations(r: CiReport, locate: (file: string) => string | undefined): string {
  const lines: string[] = [];
  const command = (level: 'error' | 'warning' | 'notice', props: Record<string, string | number | undefined>, message: string): void => {
    const p = Object.entries(props)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `${k}=${workflowProperty(String(v))}`)
      .join(',');
    lines.push(`::${level}${p ? ' ' + p : ''}::${workflowData(message)}`);
  };
  for (const q of r.expectations.require) {
    if (!q.met) command('error', { title: `ktrail: requirement not met` }, `require[${q.index}] ${q.description}: found ${q.found}, need ${q.min}`);
  }
  for (const i of r.incidents) {
    const e = i.evidence[0];
    const level = i.status === 'failing' ? 'error' : i.status === 'accepted' ? 'notice' : 'warning';
    const file = e ? locate(e.file) : undefined;
    const where = e && !file ? ` (${e.file}:${e.line})` : '';
    command(
      level,
      { file, line: file ? e!.line : undefined, title: `ktrail ${i.kind}: ${i.root.label}` },
      `${i.severity}: ${i.summary}${where}${i.status === 'accepted' ? ' [accepted]' : ''}`,
    );
  }
  const kept = lines.slice(0, MAX_ANNOTATIONS);
  if (lines.length > kept.length) kept.push(`::notice::${workflowData(`ktrail: ${lines.length - kept.length} more annotations left out; see the job summary`)}`);
  return kept.length ? kept.join('\n') + '\n' : '';
}
