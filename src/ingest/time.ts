/**
 * Places an event in time from what its payload and envelope say, and records what had to be
 * guessed. Payloads with a full timestamp win; klog's year-less, zone-less header is resolved
 * against the best reference at hand; payloads without any time take the envelope's.
 */
import type { PartialTime, PayloadResult } from '../../parsers/types.js';
import type { TimeInferred } from '../model/event.js';
import { closestYearMicros, MICROS_PER_DAY } from '../util/time.js';

/** Beyond this gap between a klog header and its envelope, the process's clock was in another zone. */
const ZONE_MISMATCH_MICROS = 15 * 60 * 1_000_000;

export interface TimeReference {
  /** The envelope's time for this record, if any. */
  envelope?: number;
  /** The envelope time was itself missing its year (journald short). */
  envelopeYearInferred?: boolean;
  /** The previous event's time in the same source, if any. */
  previous?: number;
  /**
   * The file's mtime (or now, for stdin), or a time the run's other sources give: only good
   * enough to pick a year, and never a year that puts the line after it.
   */
  fallback: number;
}

export interface ResolvedTime {
  time: number;
  inferred?: TimeInferred;
}

/** A local time read as UTC can run up to 14 h ahead of the clock that wrote the file. */
const ZONE_SLACK_MICROS = MICROS_PER_DAY;

function resolvePartial(p: PartialTime, ref: number): number {
  return closestYearMicros(p.month, p.day, p.hour, p.minute, p.second, p.micros, ref);
}

/**
 * The latest year that puts the date at or before `ref` (a file's mtime, or now): a line cannot
 * come from after its file was last written. The nearest year is wrong here: a January line read
 * in December is eleven months old, not one month ahead.
 */
export function resolveAtOrBefore(p: PartialTime, ref: number): number {
  const t = resolvePartial(p, ref);
  if (t <= ref + ZONE_SLACK_MICROS) return t;
  const d = new Date(Math.floor(t / 1000));
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  return d.getTime() * 1000 + (t % 1000);
}

export function resolveTime(result: PayloadResult, ref: TimeReference): ResolvedTime {
  if (result.time !== undefined) {
    // A payload time without a zone (capnslog) is read as UTC; say so unless the envelope agrees.
    if (result.hasZone === false && ref.envelope === undefined) return { time: result.time, inferred: 'zone' };
    return { time: result.time };
  }
  if (result.partialTime) {
    if (ref.envelope !== undefined) {
      const t = resolvePartial(result.partialTime, ref.envelope);
      if (Math.abs(t - ref.envelope) > ZONE_MISMATCH_MICROS) {
        // The writer's local time is not UTC: the envelope (which has a zone) is the truth.
        return { time: ref.envelope, inferred: 'zone' };
      }
      return { time: t, inferred: ref.envelopeYearInferred ? 'year' : undefined };
    }
    if (ref.previous !== undefined) return { time: resolvePartial(result.partialTime, ref.previous), inferred: 'year' };
    return { time: resolveAtOrBefore(result.partialTime, ref.fallback), inferred: 'year-guessed' };
  }
  if (ref.envelope !== undefined) return { time: ref.envelope, inferred: 'envelope' };
  if (ref.previous !== undefined) return { time: ref.previous, inferred: 'previous' };
  return { time: 0, inferred: 'none' };
}
