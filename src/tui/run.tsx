/**
 * Runs the TUI over a store until the user quits: full screen, ink drawing the App, the terminal
 * restored on every way out (terminal.ts).
 */
// Must come before ink: see interactive-env.ts.
import './interactive-env.js';
import { render } from 'ink';
import type { KtrailStore as Store } from '../store/store.js';
import { App, drawnRows } from './components/App.js';
import { ViewController } from './controller.js';
import { TuiModel } from './model/index.js';
import type { LiveFeed } from './model/live.js';
import { enterFullScreen } from './terminal.js';

export interface TuiOptions {
  title?: string;
  follow?: boolean;
  /** Open on the incident list. */
  start?: 'incidents';
  /** Starts what feeds the store in follow mode (the tailer of the inputs); stopped when follow stops. */
  startFeed?: () => LiveFeed | Promise<LiveFeed>;
  color: boolean;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

export async function runTui(store: Store, opts: TuiOptions): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  const model = new TuiModel(store);
  let feed: Promise<LiveFeed | undefined> | undefined;
  const stopping: Promise<void>[] = [];
  const onFollow = (on: boolean): void => {
    const start = opts.startFeed;
    if (on && !feed && start) {
      // A tailer that cannot start leaves follow mode showing what others add to the store.
      feed = Promise.resolve()
        .then(start)
        .catch(() => undefined);
    }
    if (!on && feed) {
      stopping.push(feed.then((f) => f?.stop()));
      feed = undefined;
    }
  };
  const controller = new ViewController(model, { title: opts.title, color: opts.color, follow: opts.follow, start: opts.start, onFollow });
  controller.setSize(stdout.columns, drawnRows(stdout.rows));

  let app: ReturnType<typeof render> | undefined;
  const session = enterFullScreen({ stdout, stdin }, () => app?.unmount());
  let failure: Error | undefined;
  try {
    app = render(
      <App
        controller={controller}
        onExit={(error) => {
          failure = error;
          app?.unmount(error);
        }}
      />,
      { stdout, stdin, exitOnCtrlC: false, patchConsole: true },
    );
    await app.waitUntilExit().catch((err: unknown) => {
      failure ??= err instanceof Error ? err : new Error(String(err));
    });
  } finally {
    session.restore();
    onFollow(false);
    await Promise.allSettled(stopping);
  }
  if (failure) throw failure;
}
