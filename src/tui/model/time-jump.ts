/**
 * The target of a jump (`:` in the TUI): an absolute time, a time of day, or a duration.
 *
 *   2025-03-21T14:52:00Z, 2025-03-21 14:52:00.5   that instant (no zone: UTC)
 *   2025-03-21                                     its midnight UTC
 *   14:52, 14:52:07, 14:52:07.250                  that time of day (UTC) on the selected event's date
 *   +5m, -30s, +1h30m                              that long after / before the selected event
 *   5m, 90s                                        that long after the start of the data
 */
import { parseDurationMicros } from '../../query/values.js';
import { parseRfc3339 } from '../../util/time.js';

export interface JumpContext {
  /** The selected event's time (epoch microseconds), when there is one. */
  cursor?: number;
  /** The first event's time. */
  start?: number;
}

export type JumpOutcome = { ok: true; time: number } | { ok: false; error: string };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/;
const DAY = 86_400_000_000;

export const JUMP_HELP = 'a time (2025-03-21T14:52:00Z, 14:52:07), +5m / -30s from the selected event, or 5m from the start';

export function parseJump(text: string, ctx: JumpContext): JumpOutcome {
  const t = text.trim();
  if (t === '') return { ok: false, error: `type ${JUMP_HELP}` };
  const full = parseRfc3339(t);
  if (full) return { ok: true, time: full.micros };
  const date = DATE.exec(t);
  if (date) {
    const ms = Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!);
    if (!Number.isNaN(ms) && +date[2]! >= 1 && +date[2]! <= 12 && +date[3]! >= 1 && +date[3]! <= 31) return { ok: true, time: ms * 1000 };
  }
  const tod = TIME_OF_DAY.exec(t);
  if (tod) {
    const [h, m, s] = [+tod[1]!, +tod[2]!, tod[3] === undefined ? 0 : +tod[3]];
    if (h > 23 || m > 59 || s > 60) return { ok: false, error: `not a time of day: ${t}` };
    const base = ctx.cursor ?? ctx.start;
    if (base === undefined) return { ok: false, error: 'no events to take the date from' };
    const frac = tod[4] ? Number((tod[4] + '00000').slice(0, 6)) : 0;
    const midnight = Math.floor(base / DAY) * DAY;
    return { ok: true, time: midnight + ((h * 60 + m) * 60 + s) * 1_000_000 + frac };
  }
  const signed = t[0] === '+' || t[0] === '-';
  const micros = parseDurationMicros(t);
  if (micros !== undefined) {
    const base = signed ? ctx.cursor : ctx.start;
    if (base === undefined) return { ok: false, error: 'no events to count from' };
    return { ok: true, time: base + micros };
  }
  return { ok: false, error: `not a time or duration: "${t}" (${JUMP_HELP})` };
}
