/**
 * The hand-over between follow mode's readers and its one consumer: an async queue of batches
 * with backpressure. A reader that finds a 100k-line burst must not pile up events faster than
 * the consumer (a store writer, a TUI) takes them, so `put` waits while more than `highWater`
 * events are queued; the reader then simply stops reading its file until there is room (the
 * bytes stay on disk, nothing is lost). After `end()`, `put` never waits and the consumer gets
 * what is queued, then the end.
 */

export class BatchQueue<T> {
  private readonly items: T[] = [];
  private head = 0;
  private queued = 0;
  private consumer: ((r: IteratorResult<T>) => void) | undefined;
  private roomWaiters: (() => void)[] = [];
  private ended = false;
  private unbounded = false;

  constructor(
    private readonly highWater: number,
    private readonly weight: (item: T) => number,
  ) {}

  /** Queues one batch; resolves once the queue is below its high-water mark again. */
  async put(item: T): Promise<void> {
    const consumer = this.consumer;
    if (consumer) {
      this.consumer = undefined;
      consumer({ value: item, done: false });
      return;
    }
    this.items.push(item);
    this.queued += this.weight(item);
    while (this.queued > this.highWater && !this.ended && !this.unbounded) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }

  /** The next batch, waiting for one; done once ended and drained. One consumer at a time. */
  next(): Promise<IteratorResult<T>> {
    if (this.head < this.items.length) {
      const value = this.items[this.head]!;
      this.items[this.head++] = undefined as T; // let the batch go once handed out
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items.splice(0, this.head);
        this.head = 0;
      }
      this.queued -= this.weight(value);
      if (this.queued <= this.highWater) this.releaseRoom();
      return Promise.resolve({ value, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.consumer = resolve;
    });
  }

  /** Producers stop waiting for room (closing: their last batches must not wait for a consumer that may be gone). */
  unbound(): void {
    this.unbounded = true;
    this.releaseRoom();
  }

  /** No more batches will come: producers stop waiting, the consumer drains and ends. */
  end(): void {
    this.ended = true;
    this.releaseRoom();
    const consumer = this.consumer;
    if (consumer && this.head >= this.items.length) {
      this.consumer = undefined;
      consumer({ value: undefined, done: true });
    }
  }

  /** Events queued and not yet taken. */
  get size(): number {
    return this.queued;
  }

  private releaseRoom(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }
}
