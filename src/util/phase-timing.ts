/**
 * Phase timing for long work (ingest: parse and write, indexes, linking, signals, each incident
 * rule, the detection write), off unless KTRAIL_PHASES is set, then one line per phase on stderr:
 *
 *   ktrail phase link: wall 6.81 s, cpu 6.74 s, rss 301 MB, peak 455 MB, heap 180 MB
 *
 * CPU is the whole process's user+system time (parse workers included) over the phase, which is
 * what a shared machine lets one compare; wall is there for the waits. The kernel keeps only the
 * process's peak RSS so far, so `peak` is that at the phase's end: a phase raised it if it is
 * larger than the previous line's. `heap` is V8's used heap at the phase's end (garbage included):
 * what RSS holds beyond it is SQLite's (its page cache, in-memory sorts) or freed pages V8 has
 * not returned yet. Run node with --expose-gc and the heap is measured after a full GC instead:
 * what the phase left held, not its garbage (the collection's time is not in the phase's). Kept
 * in the code for whoever profiles the ingest next.
 */

/** Ends a phase, printing its line when timing is on. */
export type EndPhase = () => void;

const NOOP: EndPhase = () => {};

function enabled(): boolean {
  const v = process.env.KTRAIL_PHASES;
  return v !== undefined && v !== '' && v !== '0';
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

/** The line for one phase, from its measures (its own function so the format is tested). */
export function phaseLine(name: string, wallMs: number, cpuUs: number, rssBytes: number, peakBytes: number, heapBytes: number): string {
  return `ktrail phase ${name}: wall ${(wallMs / 1000).toFixed(2)} s, cpu ${(cpuUs / 1e6).toFixed(2)} s, rss ${mb(rssBytes)}, peak ${mb(peakBytes)}, heap ${mb(heapBytes)}\n`;
}

/** Starts a phase; call what it returns when the phase ends. Costs nothing when timing is off. */
export function startPhase(name: string, write: (line: string) => void = (l) => void process.stderr.write(l)): EndPhase {
  if (!enabled()) return NOOP;
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    const wallMs = performance.now() - wall;
    (globalThis as { gc?: () => void }).gc?.();
    // resourceUsage().maxRSS is in kilobytes.
    const { rss, heapUsed } = process.memoryUsage();
    write(phaseLine(name, wallMs, used.user + used.system, rss, process.resourceUsage().maxRSS * 1024, heapUsed));
  };
}

/** Runs fn as one phase. */
export function timePhase<T>(name: string, fn: () => T): T {
  const end = startPhase(name);
  try {
    return fn();
  } finally {
    end();
  }
}
