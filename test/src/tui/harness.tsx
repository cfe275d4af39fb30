/**
 * Drives the App in ink-testing-library: mount it on the fixture store, press keys, read the
 * screen as plain text (colour codes stripped), wait (bounded) for deferred work.
 */
import { render } from 'ink-testing-library';
import { App } from '../../../src/tui/components/App.js';
import type { ControllerOptions, ViewController } from '../../../src/tui/controller.js';
import type { Store } from '../../../src/store/connection.js';
import { fixtureController } from './fixture.js';

export const KEY = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  home: '\x1b[H',
  end: '\x1b[F',
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  backspace: '\x7f',
  ctrlC: '\x03',
} as const;

 
const SGR = /\x1b\[[0-9;]*m/g;

export function plain(text: string): string {
  return text.replace(SGR, '');
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface Mounted {
  store: Store;
  controller: ViewController;
  /** The screen as plain text lines. */
  lines(): string[];
  screen(): string;
  /** The raw last frame, colour codes included. */
  raw(): string;
  /** The selected row (the line that starts with ">"), plain. */
  selected(): string;
  press(...keys: string[]): Promise<void>;
  /** Types text one character at a time (as a person does). */
  type(text: string): Promise<void>;
  waitFor(check: (screen: string) => boolean, what: string): Promise<void>;
  /** Makes the terminal this size (one more row than drawn: the App leaves the last one free) and tells the App. */
  resize(width: number, rows: number): Promise<void>;
  exited(): Error | 'quit' | undefined;
  unmount(): void;
}

export async function mount(opts: ControllerOptions & { width?: number; height?: number; pollMs?: number; fixed?: boolean } = {}): Promise<Mounted> {
  const width = opts.width ?? 100;
  const height = opts.height ?? 30;
  const { store, controller } = fixtureController(width, height, opts);
  let exit: Error | 'quit' | undefined;
  const inst = render(
    <App
      controller={controller}
      fixedSize={opts.fixed === false ? undefined : { width, height }}
      pollMs={opts.pollMs ?? 20}
      onExit={(err) => {
        exit = err ?? 'quit';
      }}
    />,
  );
  const raw = (): string => inst.lastFrame() ?? '';
  const screen = (): string => plain(raw());
  /**
   * Writes input and waits for the frame it causes: ink draws after React commits, which it
   * schedules, and the App redraws after every key (even one that changes nothing), so a new
   * frame means the key was handled. Bounded: a key that never draws fails the test.
   */
  const send = async (data: string): Promise<void> => {
    const before = inst.frames.length;
    inst.stdin.write(data);
    const deadline = Date.now() + 5000;
    while (inst.frames.length === before && exit === undefined) {
      if (Date.now() > deadline) throw new Error(`no frame after input ${JSON.stringify(data)}; screen:\n${screen()}`);
      await pause(2);
    }
  };
  const m: Mounted = {
    store,
    controller,
    raw,
    screen,
    lines: () => screen().split('\n'),
    selected: () => screen().split('\n').find((l) => l.startsWith('>')) ?? '',
    async press(...keys) {
      for (const k of keys) await send(k);
    },
    async type(text) {
      for (const ch of text) await send(ch);
    },
    async waitFor(check, what) {
      const deadline = Date.now() + 5000;
      while (!check(screen())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${screen()}`);
        await pause(10);
      }
    },
    async resize(w, rows) {
      Object.defineProperty(inst.stdout, 'columns', { value: w, configurable: true });
      Object.defineProperty(inst.stdout, 'rows', { value: rows, configurable: true });
      inst.stdout.emit('resize');
      // ink redraws the old tree at once; the App's own redraw at the new size follows.
      await m.waitFor(() => m.lines().length === rows - 1, `a screen of ${rows - 1} lines`);
    },
    exited: () => exit,
    unmount: () => {
      inst.unmount();
      store.close();
    },
  };
  // The first frame, and the one with the deferred counts.
  await m.waitFor(() => inst.frames.length > 1, 'the first screen and its counts');
  return m;
}
