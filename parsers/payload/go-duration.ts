/** Go time.Duration text, as components print it ("469.7ms", "1m2.5s", "981.518µs"). */

const DURATION_PART = /(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/y;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.Duration text ("469.7ms", "1m2.5s", "981.518µs") in milliseconds; undefined otherwise. */
export function goDurationMs(text: string): number | undefined {
  if (text.length === 0 || text.length > 64) return undefined;
  if (text === '0s' || text === '0') return 0;
  let total = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < text.length) {
    const m = DURATION_PART.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
  }
  // Round away float noise (0.1 + 0.2) without losing sub-microsecond precision that matters.
  return Math.round(total * 1e6) / 1e6;
}
