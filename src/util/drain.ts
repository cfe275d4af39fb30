/**
 * Waiting for a writable stream to take more: its 'drain', or its end ('close', 'error') after
 * which no 'drain' would ever come. Whoever owns the stream reports the error; the waiter only
 * stops waiting. Every listener is removed on the first of the three, so waits do not pile up.
 */
import type { EventEmitter } from 'node:events';

const UNBLOCKING = ['drain', 'close', 'error'] as const;

export function drained(stream: EventEmitter): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      for (const name of UNBLOCKING) stream.off(name, done);
      resolve();
    };
    for (const name of UNBLOCKING) stream.on(name, done);
  });
}
