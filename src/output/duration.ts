/** Short human durations for timelines: "+0s", "+850ms", "+12.4s", "+3m04s", "+2h05m". */
export function formatGap(micros: number): string {
  const ms = micros / 1000;
  if (ms < 1) return micros <= 0 ? '+0' : `+${Math.round(micros)}µs`;
  if (ms < 1000) return `+${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `+${s.toFixed(s < 10 ? 2 : 1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `+${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `+${h}h${String(m % 60).padStart(2, '0')}m`;
}
