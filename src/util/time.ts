/**
 * Timestamp helpers shared by every parser. All times in ktrail are epoch microseconds (UTC) held
 * in a plain number: 2^53 microseconds is year 2255, so there is no precision loss.
 */

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses an RFC3339-like timestamp ("2025-03-21T14:51:23.344949051Z", "...+01:00", "...+0100",
 * or with a space instead of T) to epoch microseconds. Digits past microseconds are dropped.
 * Returns undefined when the text is not such a timestamp. Without a zone, reads it as UTC;
 * `hasZone` tells the caller whether that was a guess.
 */
export function parseRfc3339(text: string): { micros: number; hasZone: boolean } | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  // Date.UTC rolls impossible fields over (month 13 is next January): refuse them instead.
  if (+mo! < 1 || +mo! > 12 || +d! < 1 || +d! > 31 || +h! > 23 || +mi! > 59 || +s! > 60) return undefined;
  let ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!);
  if (Number.isNaN(ms)) return undefined;
  const micros = frac ? Number((frac + '00000').slice(0, 6)) : 0;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
    ms -= sign * offsetMin * 60_000;
  }
  return { micros: ms * 1000 + micros, hasZone: zone !== undefined };
}

/** parseRfc3339 returning only the microseconds. */
export function rfc3339Micros(text: string): number | undefined {
  return parseRfc3339(text)?.micros;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "Mar", "mar", "MARCH" -> 3; undefined for anything else. */
export function monthFromName(name: string): number | undefined {
  const i = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return i < 0 ? undefined : i + 1;
}

/** Epoch microseconds to an ISO string with microsecond precision ("2025-03-21T14:51:23.344949Z"). */
export function formatMicros(micros: number): string {
  // One-entry memo of the whole-second part: consecutive events mostly share their second, and
  // this runs once per event of text output (a Date and toISOString per call showed in profiles).
  const second = Math.floor(micros / 1_000_000);
  if (second !== memoSecond) {
    memoIso = new Date(second * 1000).toISOString().slice(0, 19); // throws on an invalid time, as before
    memoSecond = second;
  }
  return memoIso + '.' + String(Math.floor(micros - second * 1_000_000)).padStart(6, '0') + 'Z';
}
let memoSecond = NaN;
let memoIso = '';

export const MICROS_PER_DAY = 86_400_000_000;

/**
 * Picks the year for a date that has none (klog headers, journald short): the year that puts the
 * date closest to `reference` (epoch microseconds). This handles December-to-January roll-over in
 * both directions: a "Dec 31" line read with a reference of Jan 2 lands in the previous year.
 */
// One-entry memo: consecutive lines of a log share their date and (nearly) their reference day,
// and this runs once per klog line.
let memoDate = -1;
let memoRefDay = NaN;
let memoDayStart = 0;

export function closestYearMicros(
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  micros: number,
  reference: number,
): number {
  const date = month * 100 + day;
  const refDay = Math.floor(reference / MICROS_PER_DAY);
  if (date !== memoDate || refDay !== memoRefDay) {
    // Choose the year by the date's midday, so that the choice is the same for every line of a day.
    const refYear = new Date(Math.floor(reference / 1000)).getUTCFullYear();
    let best = 0;
    let bestDist = Infinity;
    for (const year of [refYear - 1, refYear, refYear + 1]) {
      const start = Date.UTC(year, month - 1, day) * 1000;
      const dist = Math.abs(start + MICROS_PER_DAY / 2 - reference);
      if (dist < bestDist) {
        best = start;
        bestDist = dist;
      }
    }
    memoDate = date;
    memoRefDay = refDay;
    memoDayStart = best;
  }
  return memoDayStart + ((hour * 60 + minute) * 60 + second) * 1_000_000 + micros;
}
