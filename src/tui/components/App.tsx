/**
 * The root: turns terminal input into controller keys and redraws from the controller's frame.
 * It holds no view state of its own. Deferred work (counts, the histogram) runs just after a
 * screen is drawn, and follow mode polls the store on a timer.
 */
import { useInput, useStdout, type Key } from 'ink';
import { useCallback, useEffect, useState } from 'react';
import type { ViewController } from '../controller.js';
import { pressesOf } from '../keys.js';
import { Screen } from './Screen.js';

export interface AppProps {
  controller: ViewController;
  /** Draw at this size and ignore the terminal's (tests). */
  fixedSize?: { width: number; height: number };
  /** Called once when the user quits, or with the error that stopped the app. */
  onExit: (error?: Error) => void;
  /** Follow mode's polling period in milliseconds. */
  pollMs?: number;
}

/** Rows to draw in a terminal of `rows` lines: all but the last, so that ink never has to clear the whole screen. */
export function drawnRows(rows: number | undefined): number {
  return Math.max(8, (rows || 24) - 1);
}

export function App({ controller, fixedSize, onExit, pollMs = 500 }: AppProps) {
  const { stdout } = useStdout();
  const [, setVersion] = useState(0);
  const redraw = useCallback(() => setVersion((v) => v + 1), []);

  const guarded = useCallback(
    (work: () => void) => {
      try {
        work();
      } catch (err) {
        onExit(err instanceof Error ? err : new Error(String(err)));
      }
    },
    [onExit],
  );

  useEffect(() => {
    if (fixedSize) {
      controller.setSize(fixedSize.width, fixedSize.height);
      redraw();
      return;
    }
    const onResize = (): void =>
      guarded(() => {
        controller.setSize(stdout.columns, drawnRows(stdout.rows));
        redraw();
      });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [controller, stdout, fixedSize?.width, fixedSize?.height]);

  // ink's public input hook (it turns raw mode on and off); keys.ts names what it reports.
  const onInput = useCallback(
    (input: string, key: Key): void =>
      guarded(() => {
        for (const press of pressesOf(input, key)) {
          if (controller.key(press) === 'quit') {
            onExit();
            return;
          }
        }
        redraw();
      }),
    [controller, guarded, onExit, redraw],
  );
  useInput(onInput);

  // After every drawn screen: the work that was deferred to get that screen out first.
  useEffect(() => {
    const delay = controller.pendingDelay();
    if (delay === undefined) return;
    const timer = setTimeout(() =>
      guarded(() => {
        controller.runPending();
        redraw();
      }),
    delay);
    return () => clearTimeout(timer);
  });

  const following = controller.following;
  useEffect(() => {
    if (!following) return;
    const timer = setInterval(() => guarded(() => (controller.poll() ? redraw() : undefined)), pollMs);
    return () => clearInterval(timer);
  }, [following, controller, pollMs]);

  return <Screen frame={controller.frame()} />;
}
