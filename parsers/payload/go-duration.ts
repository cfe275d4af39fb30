/**
 * Go time.Duration text, as components print it ("469.7ms", "1m2.5s", "981.518µs").
 *
 * Read by index scan rather than a sticky regex: every CoreDNS query line ends with one, and a
 * match array per part was a measurable share of the parse's allocation. It reads what
 * `/(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/y` repeated to the end read (parts tried in that order).
 */

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Go's time.Duration text ("469.7ms", "1m2.5s", "981.518µs") in milliseconds; undefined otherwise. */
export function goDurationMs(text: string): number | undefined {
  if (text.length === 0 || text.length > 64) return undefined;
  if (text === '0s' || text === '0') return 0;
  const n = text.length;
  let total = 0;
  for (let i = 0; i < n; ) {
    const start = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i === start) return undefined;
    // A fraction needs a digit after its point; a bare point cannot start a unit either.
    if (text.charCodeAt(i) === 46 /* . */ && isDigit(text.charCodeAt(i + 1))) {
      i += 2;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
    const value = Number(text.slice(start, i));
    const c = text.charCodeAt(i);
    // Read past the end only when there is more: charCodeAt out of bounds (the last unit, "0.2s")
    // deoptimized this function once in every thread that parses.
    const next = i + 1 < n ? text.charCodeAt(i + 1) : -1;
    if (next === 115 /* s */ && (c === 110 || c === 117 || c === 0xb5 || c === 0x3bc || c === 109)) {
      // ns, us, µs (micro sign), μs (Greek mu), ms: before s and m, as the pattern tried them.
      total += value * (c === 110 ? 1e-6 : c === 109 ? 1 : 1e-3);
      i += 2;
    } else if (c === 115 /* s */) {
      total += value * 1000;
      i++;
    } else if (c === 109 /* m */) {
      total += value * 60_000;
      i++;
    } else if (c === 104 /* h */) {
      total += value * 3_600_000;
      i++;
    } else {
      return undefined;
    }
  }
  // Round away float noise (0.1 + 0.2) without losing sub-microsecond precision that matters.
  return Math.round(total * 1e6) / 1e6;
}
