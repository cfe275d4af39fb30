/**
 * Terminal hygiene: the TUI draws on the alternate screen with the cursor hidden and stdin in
 * raw mode; whatever ends it (q, an exception, SIGINT, SIGTERM, SIGHUP, process exit), the
 * terminal is put back as it was, once.
 */

const ENTER = '\x1b[?1049h\x1b[?25l'; // alternate screen, hide cursor
const LEAVE = '\x1b[?25h\x1b[?1049l'; // show cursor, main screen

export interface TerminalSession {
  /** Puts the terminal back; safe to call any number of times. */
  restore(): void;
}

export interface TerminalStreams {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const SIGNAL_NUMBER: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/**
 * Enters full-screen mode. `beforeRestore` runs first on every way out (the caller unmounts its
 * UI there, so that its last frame lands on the alternate screen and not on the user's).
 */
export function enterFullScreen(streams: TerminalStreams, beforeRestore: () => void = () => {}): TerminalSession {
  const { stdout, stdin } = streams;
  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    try {
      beforeRestore();
    } catch {
      // The UI may be half torn down already; the terminal still has to be restored.
    }
    if (stdin.isTTY && typeof stdin.setRawMode === 'function') {
      try {
        stdin.setRawMode(false);
      } catch {
        // stdin may be closed already
      }
    }
    try {
      stdout.write(LEAVE);
    } catch {
      // stdout may be closed (the terminal went away): nothing left to restore
    }
    for (const s of SIGNALS) process.off(s, onSignal);
    process.off('exit', restore);
    process.off('uncaughtException', onFatal);
    process.off('unhandledRejection', onFatal);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    restore();
    process.exit(128 + (SIGNAL_NUMBER[signal] ?? 1));
  };
  const onFatal = (err: unknown): void => {
    restore();
    process.stderr.write(`ktrail view: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(70);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on('exit', restore);
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  stdout.write(ENTER);
  return { restore };
}
