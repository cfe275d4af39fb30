/**
 * A binary min-heap ordered by a comparison function. Small, allocation-free on push and pop.
 * Sifting moves a hole rather than swapping pairs (the merge runs it twice per event).
 */
export class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const a = this.items;
    let i = a.length;
    a.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = a[parent]!;
      if (!this.less(item, p)) break;
      a[i] = p;
      i = parent;
    }
    a[i] = item;
  }

  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) this.siftDown(last);
    return top;
  }

  /** pop() then push(item) in one sift: returns the old top (the heap must not be empty). */
  replaceTop(item: T): T {
    const top = this.items[0]!;
    this.siftDown(item);
    return top;
  }

  /** The top's key grew (a merge cursor moved on): sift it down to its place. */
  updateTop(): void {
    if (this.items.length > 1) this.siftDown(this.items[0]!);
  }

  /** Places `item` from the root down, into the hole the root leaves. */
  private siftDown(item: T): void {
    const a = this.items;
    const n = a.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let m = l;
      let child = a[l]!;
      if (r < n && this.less(a[r]!, child)) {
        m = r;
        child = a[r]!;
      }
      if (!this.less(child, item)) break;
      a[i] = child;
      i = m;
    }
    a[i] = item;
  }
}
