/**
 * `--last 10m`: the events of the input's own last ten minutes, measured from the last event's
 * time, not from now (a bundle captured last week has no events "in the last ten minutes").
 * The stream is in time order, so only the events within the span of the latest are held: the
 * memory is what the window holds, whatever the input's size.
 */
import type { KEvent } from '../model/event.js';

export class LastWindow<E extends Pick<KEvent, 'time'> = KEvent> {
  private readonly held: E[] = [];
  /** Index of the first held event still inside the window (the array is compacted lazily). */
  private start = 0;
  private latest = -Infinity;

  constructor(private readonly spanMicros: number) {}

  push(e: E): void {
    if (e.time > this.latest) this.latest = e.time;
    this.held.push(e);
    const from = this.latest - this.spanMicros;
    while (this.start < this.held.length && this.held[this.start]!.time < from) this.start++;
    if (this.start > 4096 && this.start * 2 > this.held.length) {
      this.held.splice(0, this.start);
      this.start = 0;
    }
  }

  /** The events within the span of the last one, in their order. */
  events(): E[] {
    const from = this.latest - this.spanMicros;
    return this.held.slice(this.start).filter((e) => e.time >= from);
  }
}

/** The span of the times seen: to tell a user why a time filter selected nothing. */
export class TimeSpan {
  first = Infinity;
  last = -Infinity;

  see(time: number): void {
    if (!time) return; // time 0: no time at all
    if (time < this.first) this.first = time;
    if (time > this.last) this.last = time;
  }

  get empty(): boolean {
    return this.first > this.last;
  }
}
