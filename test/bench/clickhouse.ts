/**
 * `npm run bench -- clickhouse`: ktrail over ClickHouse beside ktrail over SQLite on the same
 * events, in the same run, and lnav on the same file for the per-minute question. The CLI runs as
 * a user runs it (a subprocess, output to a pipe); the store latencies are also taken in process
 * (medians of several calls, without Node's start-up). A clickhouse-server of this machine is
 * started on ports 19100-19199 with the test helper and removed at the end.
 *
 * BENCH_CH_EVENTS sets the size (default 5,000,000 events; quote the size you ran).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { resolveObjectRef } from '../../src/correlate/resolve-ref.js';
import { SyncClickhouse } from '../../src/store/clickhouse/bridge.js';
import { connectionOf } from '../../src/store/clickhouse/http.js';
import { ClickhouseStore } from '../../src/store/clickhouse/store.js';
import { parseClickhouseUrl } from '../../src/store/clickhouse/url.js';
import type { KtrailStore } from '../../src/store/store.js';
import { openStore } from '../../src/store/writer.js';
import { startClickhouse } from '../helpers/clickhouse-server.js';
import { cliPath } from '../helpers/paths.js';
import { writePipeData } from './pipe-data.js';

const EVENTS = Number(process.env.BENCH_CH_EVENTS ?? 5_000_000);
const CLI = cliPath();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Wall seconds of `ktrail ARGS`, its stdout to a pipe; throws when it fails. */
function ktrail(args: string[]): { seconds: number; stdout: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, KTRAIL_DB: '' } });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`ktrail ${args.join(' ')}: exit ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { seconds, stdout: r.stdout };
}

function ms(f: () => unknown, runs = 5): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    f();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(times);
}

const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');

function storeLatencies(store: KtrailStore): { trace: number; incidents: number; perMinute: number } {
  const range = store.events.timeRange()!;
  const minutes = Math.ceil((range.to - range.from) / 60e6) + 1;
  return {
    // Every pod of that name, as `ktrail trace` shows them (one batched read for all of them).
    trace: ms(() => store.objects.timelines(resolveObjectRef(store.objects, 'pod/default/web-42'))),
    // One call: at 5M events the list is 625k incidents, tens of seconds a call.
    incidents: ms(() => store.incidents.list(), 1),
    perMinute: ms(() => store.events.countsByComponentBucket(range.from, 60e6, minutes, 2)),
  };
}

export async function benchClickhouse(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-bench-ch-'));
  const server = await startClickhouse();
  try {
    const file = join(dir, 'mixed.log');
    await writePipeData(file, EVENTS);
    const url = server.url('bench');
    const sqliteDb = join(dir, 'bench.db');
    console.log(`clickhouse: ${EVENTS.toLocaleString()} events (mixed CRI lines), clickhouse-server ${(await server.sql('SELECT version()')).trim()}; load average at start ${load()}`);

    const sq = ktrail(['ingest', file, '--db', sqliteDb]);
    const chIngest = ktrail(['ingest', file, '--db', url]);
    const copySeconds = Number(/of which ([\d.]+) s copying/.exec(chIngest.stdout)?.[1] ?? Number.NaN);
    console.log(`  ingest, SQLite:      ${sq.seconds.toFixed(1).padStart(7)} s  ${Math.round(EVENTS / sq.seconds).toLocaleString().padStart(9)} events/s`);
    console.log(
      `  ingest, ClickHouse:  ${chIngest.seconds.toFixed(1).padStart(7)} s  ${Math.round(EVENTS / chIngest.seconds).toLocaleString().padStart(9)} events/s ` +
        `(parse + correlate in a temporary SQLite store, then the copy: ${copySeconds.toFixed(1)} s, ` +
        `${Math.round(EVENTS / copySeconds).toLocaleString()} events/s copied); ratio ${(chIngest.seconds / sq.seconds).toFixed(2)}`,
    );
    const sizes = (await server.sql(`SELECT table, sum(bytes) AS b FROM system.parts WHERE database = 'bench' AND active GROUP BY table ORDER BY b DESC FORMAT TSV`))
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    const total = sizes.reduce((a, [, b]) => a + Number(b), 0);
    console.log(`  ClickHouse on disk: ${(total / 1e6).toFixed(0)} MB (${sizes.map(([t, b]) => `${t} ${(Number(b) / 1e6).toFixed(0)}`).join(', ')}), ${(total / EVENTS).toFixed(0)} bytes/event`);

    // The CLI as a user runs it.
    const perMinuteSql = {
      sqlite: 'SELECT component, time / 60000000 AS minute, count(*) AS n FROM events GROUP BY component, minute',
      clickhouse: 'SELECT component, intDiv(time, 60000000) AS minute, count() AS n FROM events GROUP BY component, minute',
    };
    for (const [name, db] of [['SQLite', sqliteDb], ['ClickHouse', url]] as const) {
      // The bench's pod names are reused by many pods (a UID per line): trace shows every match.
      const trace = ktrail(['trace', 'pod/default/web-42', '--db', db]);
      const incidents = ktrail(['incidents', '--db', db]);
      const perMinute = ktrail(['sql', name === 'SQLite' ? perMinuteSql.sqlite : perMinuteSql.clickhouse, '--db', db]);
      console.log(
        `  CLI, ${name.padEnd(10)}  trace ${trace.seconds.toFixed(2)} s (${trace.stdout.split('\n').length} lines), incidents ${incidents.seconds.toFixed(2)} s, ` +
          `events per component per minute (ktrail sql) ${perMinute.seconds.toFixed(2)} s (${perMinute.stdout.split('\n').length - 2} rows)`,
      );
    }
    const lnav = spawnSync('lnav', ['-V'], { encoding: 'utf8' });
    if (lnav.status === 0) {
      const t = process.hrtime.bigint();
      spawnSync('lnav', ['-n', '-c', ";SELECT strftime('%Y-%m-%dT%H:%M', log_time) AS minute, count(*) FROM all_logs GROUP BY minute", file], { stdio: 'ignore' });
      console.log(`  lnav -n, events per minute on the same file: ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(2)} s (it parses the file each time)`);
    } else console.log('  lnav: not installed (apt-get install lnav to compare)');

    // The stores in process: median of 5 calls each.
    const sqlite = openStore(sqliteDb, { readonly: true });
    const ch = new ClickhouseStore(url);
    const a = storeLatencies(sqlite);
    const b = storeLatencies(ch);
    for (const [name, v] of [['SQLite', a], ['ClickHouse', b]] as const) {
      console.log(`  in process, ${name.padEnd(10)} trace (every web-42 pod) ${v.trace.toFixed(1)} ms, incident list ${v.incidents.toFixed(1)} ms, events per component per minute ${v.perMinute.toFixed(1)} ms`);
    }
    sqlite.close();

    // The synchronous bridge's own cost: SELECT 1 through it, beside the async client awaited.
    const target = parseClickhouseUrl(url);
    const sync = new SyncClickhouse(connectionOf(target));
    sync.rows('SELECT 1');
    const bridged = ms(() => sync.rows('SELECT 1'), 200);
    const client = createClient({ url: target.httpUrl, database: target.database });
    const direct: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = process.hrtime.bigint();
      await (await client.query({ query: 'SELECT 1', format: 'JSON' })).json();
      direct.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    await client.close();
    console.log(
      `  bridge: SELECT 1 median ${bridged.toFixed(2)} ms synchronously through the worker, ${median(direct).toFixed(2)} ms awaited directly: ` +
        `${(bridged - median(direct)).toFixed(2)} ms per call for the bridge`,
    );
    console.log(`  load average at end ${load()}`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
