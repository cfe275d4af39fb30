/** A terminal's two ends, as far as ink and src/tui/terminal.ts use them, for in-process runs of runTui. */
import { EventEmitter } from 'node:events';

export class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 30;
  written = '';
  write(data: string, cb?: () => void): boolean {
    this.written += data;
    cb?.();
    return true;
  }
}

export class FakeStdin extends EventEmitter {
  isTTY = true;
  rawModes: boolean[] = [];
  private queued: string | null = null;
  setRawMode(on: boolean): this {
    this.rawModes.push(on);
    return this;
  }
  setEncoding(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  pause(): this {
    return this;
  }
  read(): string | null {
    const q = this.queued;
    this.queued = null;
    return q;
  }
  type(data: string): void {
    this.queued = data;
    this.emit('readable');
  }
}

export function streams(): { stdout: FakeStdout; stdin: FakeStdin; opts: { stdout: NodeJS.WriteStream; stdin: NodeJS.ReadStream } } {
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  return { stdout, stdin, opts: { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream } };
}

/** Waits (bounded) until `check` holds. */
export async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
