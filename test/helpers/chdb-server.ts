/**
 * A current ClickHouse release (chDB 3.4.0 embeds 26.7.2) behind the part of ClickHouse's HTTP
 * interface that @clickhouse/client uses, in a child process (chdb-server-child.ts says what is
 * served and which settings are ignored). What it does not stand for: the HTTP server itself,
 * users and their profiles (everyone is `default`), and clusters (no Distributed tables).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpSql } from './clickhouse-server.js';
import { repoRoot } from './paths.js';
import { requireOrSkip } from './require.js';

// Loadable, not only present: chdb's engine is an optional per-platform package
// (@chdb/lib-linux-x64-gnu here), absent where npm had no build for the machine. Tried in a
// separate process so that the test process does not map the ~500 MB library.
function chdbInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('chdb');
  } catch {
    return false;
  }
  return spawnSync(process.execPath, ['-e', "require('chdb')"], { cwd: repoRoot, stdio: 'ignore', timeout: 60_000 }).status === 0;
}

/** Why a test that needs chDB cannot run here, or false when it can. */
export function chdbSkip(): string | false {
  return requireOrSkip('chdb', chdbInstalled(), 'npm run install-chdb (chdb 3.4.0, linux-x64 only here; .ci/run installs it)');
}

export interface ChdbServer {
  port: number;
  /** A ktrail URL to `database`. */
  url(database: string): string;
  /** One statement over HTTP; resolves with the response text. */
  sql(statement: string): Promise<string>;
  /** Kills the child process and removes its data folder. Idempotent. */
  stop(): Promise<void>;
}

const running: ChildProcess[] = [];
process.on('exit', () => running.forEach((p) => p.kill('SIGKILL')));

/** Starts the child and waits for the port it listens on. */
export async function startChdb(): Promise<ChdbServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-chdb-'));
  const child = spawn(process.execPath, [fileURLToPath(new URL('./chdb-server-child.js', import.meta.url)), join(dir, 'data')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.push(child);
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.once('exit', (code) => reject(new Error(`chdb server exited (${code}) before listening`)));
  });
  let stopped = false;
  return {
    port,
    url: (database) => `clickhouse://default@127.0.0.1:${port}/${database}`,
    sql: (statement) => httpSql('127.0.0.1', port, statement),
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      running.splice(running.indexOf(child), 1);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
