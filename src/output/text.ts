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

/**
 * "2025-03-21 14:51:23.344": the display time. The date and clock part is memoized by second and
 * the whole by millisecond (lines of many sources interleave, so the millisecond changes from one
 * line to the next far more often than the second does).
 */
let memoMs = NaN;
let memoText = '';
let memoSecond = NaN;
let memoSecondText = '';
function formatDisplayTime(micros: number): string {
  const ms = Math.floor(micros / 1000);
  if (ms !== memoMs) {
    const second = Math.floor(ms / 1000);
    if (second !== memoSecond) {
      const iso = formatMicros(micros);
      memoSecondText = iso.slice(0, 10) + ' ' + iso.slice(11, 19) + '.';
      memoSecond = second;
    }
    const frac = ms - second * 1000;
    memoText = memoSecondText + (frac < 10 ? '00' : frac < 100 ? '0' : '') + frac;
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
 * The part of a line between the time and the message, "component host S ": it depends only on
 * the component column, the host and the severity, which a source repeats line after line, so it
 * is built (neutralized, padded, coloured) once per combination rather than once per line (this
 * was a fifth of text output's own time and garbage, profiled on the scale-20 bundle). Keyed per
 * chalk instance; the names come from the logs, so the cache is emptied when it grows past
 * PREFIX_CACHE_MAX rather than grow with hostile input.
 */
const PREFIX_CACHE_MAX = 4096;
const SEVERITY_INDEX: Record<Severity, number> = { debug: 0, info: 1, warn: 2, error: 3, fatal: 4 };
let prefixChalk: ChalkInstance | undefined;
/** component → shown name → host → one prefix per severity. */
let prefixes = new Map<string, Map<string, Map<string, (string | undefined)[]>>>();
let prefixCount = 0;

function linePrefix(e: KEvent, c: ChalkInstance): string {
  if (c !== prefixChalk || prefixCount >= PREFIX_CACHE_MAX) {
    prefixChalk = c;
    prefixes = new Map();
    prefixCount = 0;
  }
  const shown = shownComponent(e);
  const hostKey = e.host ?? '-';
  let byShown = prefixes.get(e.component);
  if (!byShown) prefixes.set(e.component, (byShown = new Map()));
  let byHost = byShown.get(shown);
  if (!byHost) byShown.set(shown, (byHost = new Map()));
  let bySeverity = byHost.get(hostKey);
  if (!bySeverity) byHost.set(hostKey, (bySeverity = []));
  const i = SEVERITY_INDEX[e.severity];
  let prefix = bySeverity[i];
  if (prefix === undefined) {
    const comp = componentColor(c, e.component)(padToWidth(neutralize(shown), 23));
    const sev = severityColor(c, e.severity)(SEVERITY_LETTER[e.severity]);
    prefix = bySeverity[i] = `${comp} ${c.dim(neutralize(hostKey))} ${sev} `;
    prefixCount++;
  }
  return prefix;
}

/** The dimmed display time, memoized like the time itself (consecutive lines share it). */
let dimChalk: ChalkInstance | undefined;
let dimTimeOf = '';
let dimTime = '';

function shownTime(e: KEvent, c: ChalkInstance): string {
  const time = e.time ? formatDisplayTime(e.time) : '-'.padEnd(23);
  if (time !== dimTimeOf || c !== dimChalk) {
    dimChalk = c;
    dimTimeOf = time;
    dimTime = c.dim(time);
  }
  return dimTime;
}

/**
 * One event as a text line. `showCluster`: the input holds several clusters, so the line names
 * the event's after its time (kept out otherwise: one cluster's lines read as they always did).
 */
export function formatEventLine(e: KEvent, c: ChalkInstance, showCluster = false): string {
  const msg = neutralize(firstLine(e.message));
  const fields = keyFields(e);
  const tail = fields ? ' ' + c.dim(neutralize(fields)) : '';
  const marker = e.format === 'unknown' ? c.dim('? ') : '';
  const cut = e.truncated ? c.dim(CUT_MARKER) : '';
  const cluster = showCluster ? ` ${c.bold(neutralize(e.cluster || '-'))}` : '';
  return `${shownTime(e, c)}${cluster} ${linePrefix(e, c)}${marker}${msg}${tail}${cut}`;
}
