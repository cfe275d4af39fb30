/**
 * Every timestamp shape the simulated components write, from epoch microseconds. Formatting a
 * date is the hot path of the writer (millions of lines), so the calendar part is computed once
 * per second and cached; only the sub-second digits are formatted per line.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface SecondParts {
  sec: number;
  y: string;
  mo: string; // 01-12
  d: string; // 01-31
  h: string;
  mi: string;
  s: string;
  mon: string; // Jan
}

let cache: SecondParts = { sec: -1, y: '', mo: '', d: '', h: '', mi: '', s: '', mon: '' };

function parts(us: number): SecondParts {
  const sec = Math.floor(us / 1e6);
  if (sec === cache.sec) return cache;
  const dt = new Date(sec * 1000);
  cache = {
    sec,
    y: String(dt.getUTCFullYear()),
    mo: pad2(dt.getUTCMonth() + 1),
    d: pad2(dt.getUTCDate()),
    h: pad2(dt.getUTCHours()),
    mi: pad2(dt.getUTCMinutes()),
    s: pad2(dt.getUTCSeconds()),
    mon: MONTHS[dt.getUTCMonth()]!,
  };
  return cache;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

function micros6(us: number): string {
  const f = Math.floor(us % 1e6);
  return String(f).padStart(6, '0');
}

/** klog header time: `0321 14:51:23.344949` (no year, no zone). */
export function klogTime(us: number): string {
  const p = parts(us);
  return `${p.mo}${p.d} ${p.h}:${p.mi}:${p.s}.${micros6(us)}`;
}

/** journald short: `Mar 21 14:51:23`. */
export function journalTime(us: number): string {
  const p = parts(us);
  return `${p.mon} ${p.d} ${p.h}:${p.mi}:${p.s}`;
}

/** RFC3339 with microseconds and Z: `2025-03-21T14:51:23.344949Z` (etcd zap, audit). */
export function isoMicros(us: number): string {
  const p = parts(us);
  return `${p.y}-${p.mo}-${p.d}T${p.h}:${p.mi}:${p.s}.${micros6(us)}Z`;
}

/** RFC3339 to the second: `2025-03-21T14:51:23Z` (Event timestamps, creationTimestamp). */
export function isoSeconds(us: number): string {
  const p = parts(us);
  return `${p.y}-${p.mo}-${p.d}T${p.h}:${p.mi}:${p.s}Z`;
}

/**
 * Go's RFC3339Nano, as containerd writes the CRI log envelope: nanoseconds with trailing zeros
 * trimmed (`2025-03-21T14:51:46.48989993Z`).
 */
export function rfc3339Nano(us: number, extraNanos: number): string {
  const p = parts(us);
  let frac = micros6(us) + String(extraNanos % 1000).padStart(3, '0');
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
  frac = frac.slice(0, end);
  return `${p.y}-${p.mo}-${p.d}T${p.h}:${p.mi}:${p.s}${frac ? '.' + frac : ''}Z`;
}

/** logrus (containerd under journald) always prints nine digits: `2025-03-21T14:51:17.464266574Z`. */
export function rfc3339Nano9(us: number, extraNanos: number): string {
  const p = parts(us);
  return `${p.y}-${p.mo}-${p.d}T${p.h}:${p.mi}:${p.s}.${micros6(us)}${String(extraNanos % 1000).padStart(3, '0')}Z`;
}

/** etcd 3.4 capnslog: `2021-05-26 01:55:29.382834`. */
export function capnslogTime(us: number): string {
  const p = parts(us);
  return `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}:${p.s}.${micros6(us)}`;
}

/** etcd 3.4's raft logger prefix: `raft2021/05/26 01:55:29`. */
export function raftTime(us: number): string {
  const p = parts(us);
  return `raft${p.y}/${p.mo}/${p.d} ${p.h}:${p.mi}:${p.s}`;
}

/** klog JSON `ts`: epoch milliseconds as a float with microsecond digits. */
export function epochMillis(us: number): string {
  const ms = Math.floor(us / 1000);
  const sub = Math.floor(us % 1000);
  return sub === 0 ? String(ms) : `${ms}.${String(sub).padStart(3, '0').replace(/0+$/, '')}`;
}

/** Apiserver trace start stamp: `21-Mar-2025 14:51:23.344`. */
export function traceStart(us: number): string {
  const p = parts(us);
  return `${p.d}-${p.mon}-${p.y} ${p.h}:${p.mi}:${p.s}.${micros6(us).slice(0, 3)}`;
}

/** Apiserver trace step stamp: `(14:51:23.991)`. */
export function traceClock(us: number): string {
  const p = parts(us);
  return `${p.h}:${p.mi}:${p.s}.${micros6(us).slice(0, 3)}`;
}

/** Kubernetes' rotated container log suffix: `20250321-145123`. */
export function rotationStamp(us: number): string {
  const p = parts(us);
  return `${p.y}${p.mo}${p.d}-${p.h}${p.mi}${p.s}`;
}

/** Go's time.Time String(): `2025-03-21 14:51:27 +0000 UTC` (podCreationTimestamp). */
export function goTime(us: number, withFraction: boolean): string {
  const p = parts(us);
  const base = `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}:${p.s}`;
  if (!withFraction) return `${base} +0000 UTC`;
  const frac = (micros6(us) + '000').replace(/0+$/, '');
  return `${base}${frac ? '.' + frac : ''} +0000 UTC`;
}

/** Go's time.Duration String() for the sizes we need: `1.241611641s`, `38.805737ms`, `51.808µs`. */
export function goDuration(us: number): string {
  if (us >= 60e6) {
    const m = Math.floor(us / 60e6);
    const rest = us - m * 60e6;
    return `${m}m${trimFloat(rest / 1e6, 9)}s`;
  }
  if (us >= 1e6) return `${trimFloat(us / 1e6, 9)}s`;
  if (us >= 1e3) return `${trimFloat(us / 1e3, 6)}ms`;
  return `${trimFloat(us, 3)}µs`;
}

function trimFloat(x: number, digits: number): string {
  const s = x.toFixed(digits);
  if (s.indexOf('.') < 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}
