/**
 * The simulator's queue of scheduled actions, ordered by time and then by insertion order, so that
 * two actions at the same microsecond always run in the order they were scheduled (determinism).
 * The heap itself is the one the merge uses (src/util/heap.ts).
 */
import { MinHeap } from '../util/heap.js';

export interface Scheduled {
  t: number;
  seq: number;
  run: () => void;
}

function less(x: Scheduled, y: Scheduled): boolean {
  return x.t < y.t || (x.t === y.t && x.seq < y.seq);
}

export class ActionQueue {
  private readonly heap = new MinHeap<Scheduled>(less);
  private seq = 0;

  get size(): number {
    return this.heap.size;
  }

  push(t: number, run: () => void): void {
    this.heap.push({ t, seq: this.seq++, run });
  }

  peekTime(): number | undefined {
    return this.heap.peek()?.t;
  }

  pop(): Scheduled | undefined {
    return this.heap.pop();
  }
}
