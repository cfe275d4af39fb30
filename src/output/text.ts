/**
 * Readable one-line-per-event text for a terminal: time, component, host, severity, message and
 * the fields that matter for the kind of line (line-fields.ts). Every piece of log text goes through `neutralize` first.
 */
import type { ChalkInstance } from 'chalk';
import type { KEvent, Severity } from '../model/event.js';
import { padToWidth } from '../util/display-width.js';
import { shownComponent } from './writer-name.js';
import { neutralize } from '../util/sanitize.js';
import { formatMicros } from '../util/time.js';
import { componentColor, severityColor } from './colors.js';
import { keyFields } from './line-fields.js';

const SEVERITY_LETTER: Record<Severity, string> = { debug: 'D', info: 'I', warn: 'W', error: 'E', fatal: 'F' };

/** The first line of a message, without splitting the whole of it. */
function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return nl < 0 ? message : message.slice(0, nl);
}

/** "2025-03-21 14:51:23.344": the display time, memoized by millisecond run (most lines share it). */
let memoMs = NaN;
let memoText = '';
function formatDisplayTime(micros: number): string {
  const ms = Math.floor(micros / 1000);
  if (ms !== memoMs) {
    const iso = formatMicros(micros);
    memoText = iso.slice(0, 10) + ' ' + iso.slice(11, 23);
    memoMs = ms;
  }
  return memoText;
}

/**
 * Appended to an event whose line was over the framing limit (1 MiB) and was cut, in text and raw
 * output alike (NDJSON says `"truncated": true`): the reader must not take the end of the line
 * shown for the end of the line written.
 */
export const CUT_MARKER = ' [ktrail: line cut at 1 MiB]';

/** The original lines of an event for `-o raw`: neutralized for a terminal, marked when cut. */
export function formatRaw(e: KEvent, tty: boolean): string {
  const raw = tty ? neutralize(e.raw) : e.raw;
  return e.truncated ? raw + CUT_MARKER : raw;
}

/**
 * One event as a text line. `showCluster`: the input holds several clusters, so the line names
 * the event's after its time (kept out otherwise: one cluster's lines read as they always did).
 */
export function formatEventLine(e: KEvent, c: ChalkInstance, showCluster = false): string {
  const time = e.time ? formatDisplayTime(e.time) : '-'.padEnd(23);
  const comp = componentColor(c, e.component)(padToWidth(neutralize(shownComponent(e)), 23));
  const host = neutralize(e.host ?? '-');
  const sev = severityColor(c, e.severity)(SEVERITY_LETTER[e.severity]);
  const msg = neutralize(firstLine(e.message));
  const fields = keyFields(e);
  const tail = fields ? ' ' + c.dim(neutralize(fields)) : '';
  const marker = e.format === 'unknown' ? c.dim('? ') : '';
  const cut = e.truncated ? c.dim(CUT_MARKER) : '';
  const cluster = showCluster ? ` ${c.bold(neutralize(e.cluster || '-'))}` : '';
  return `${c.dim(time)}${cluster} ${comp} ${c.dim(host)} ${sev} ${marker}${msg}${tail}${cut}`;
}
