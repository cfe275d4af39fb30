/**
 * The one place that decides what a test does when something it needs from the machine (the
 * real-log corpus, etcd, tmux, chromium, clickhouse-server) is missing.
 *
 * - Outside CI the test is skipped, and the skip names what is missing and how to get it.
 * - Under CI (CI=true, as .ci/run and every CI service set it) a missing need FAILS the run: a
 *   green CI run must mean the real-log and real-process tests ran. The dependent tests are still
 *   skipped (running them would only fail again, less clearly), and one failing test per missing
 *   thing is added to the file, titled with what is missing.
 *
 * Usage: `test('...', { skip: requireOrSkip('tmux', tmuxPath !== undefined, 'apt-get install tmux') }, ...)`,
 * or one of the ready-made checks below.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';

/** True when the environment says this is a CI run (CI=true or CI=1; CI=false or unset is not). */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env['CI'] ?? '').trim().toLowerCase();
  return v !== '' && v !== 'false' && v !== '0';
}

// Missing needs already announced in this test file (each file runs in its own process).
const announced = new Set<string>();

/**
 * What `test()`'s `skip` option should be for a test that needs `what`: false when it is
 * available; otherwise a message naming it (and, under CI, a failing test naming it too).
 */
export function requireOrSkip(what: string, available: boolean, howToGet?: string): string | false {
  if (available) return false;
  const message = `${what} is missing${howToGet ? ` (${howToGet})` : ''}`;
  if (inCi() && !announced.has(message)) {
    announced.add(message);
    test(`CI needs: ${message}`, () => {
      throw new Error(`CI=true and ${message}: the tests that need it cannot run, so this run fails`);
    });
  }
  return message;
}

/** The path of an executable named `name` on PATH (or in `extraDirs`), as `command -v` finds it. */
export function findExecutable(name: string, extraDirs: readonly string[] = []): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    const path = join(dir, name);
    try {
      if (!statSync(path).isFile()) continue;
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Skip value for a test needing an executable, with the Debian package that provides it. */
export function requireExecutable(name: string, debianPackage: string, extraDirs: readonly string[] = []): { path: string | undefined; skip: string | false } {
  const path = findExecutable(name, extraDirs);
  return { path, skip: requireOrSkip(`the ${name} executable`, path !== undefined, `apt-get install ${debianPackage}; .ci/run installs it`) };
}

/** A folder the tests read (the corpus): its skip value. */
export function requireFolder(what: string, path: string): string | false {
  return requireOrSkip(`${what} ${path}`, existsSync(path));
}

// The machine's tools, looked up lazily: a file that needs none of them adds no failing test.
// clickhouse-server lives in /usr/sbin, which a non-root PATH often lacks.
export const needTmux = (): { path: string | undefined; skip: string | false } => requireExecutable('tmux', 'tmux');
export const needChromium = (): { path: string | undefined; skip: string | false } => requireExecutable('chromium', 'chromium');
export const needEtcd = (): { path: string | undefined; skip: string | false } => requireExecutable('etcd', 'etcd-server');
export const needClickhouse = (): { path: string | undefined; skip: string | false } =>
  requireExecutable('clickhouse-server', 'clickhouse-server', ['/usr/sbin', '/usr/local/sbin']);
