/**
/**
 * Store benchmarks (issue: correlate): `ktrail ingest` of the file as a user runs it (a
 * subprocess: wall, CPU and peak RSS); ingest rate into the store with every index (wall and CPU),
 * beside a bare insert loop in the same run; correlation (links, then the incident rules) timed on
 * that store; then the latency of `trace` and of an indexed query; and the same question asked of
 * lnav on the same file, when lnav is installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from '../helpers/paths.js';
import Database from 'better-sqlite3';
import { detectIncidents } from '../../src/correlate/incidents/index.js';
import { linkObjects } from '../../src/correlate/link.js';
import { resolveObjectRef } from '../../src/correlate/resolve-ref.js';
import { openSources } from '../../src/ingest/run.js';
import type { KEvent } from '../../src/model/event.js';
import { compileSql } from '../../src/query/compile-sql.js';
import { parseQuery } from '../../src/query/parser.js';
import { StoreReader } from '../../src/store/reader.js';
import { createWriter, openStore } from '../../src/store/writer.js';
import { benchTraceCli, measure } from './cli.js';
import { writePipeData } from './pipe-data.js';

const EVENTS = Number(process.env.BENCH_STORE_EVENTS ?? 5_000_000);
const CLI = cliPath();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The reference: the same rows' columns into one table with no index, in batched transactions. */
function bareInsert(events: KEvent[]): number {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (time INTEGER, component TEXT, severity INTEGER, message TEXT, fields TEXT, raw TEXT)');
  const ins = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)');
  const t0 = process.hrtime.bigint();
  const tx = db.transaction((batch: KEvent[]) => {
    for (const e of batch) ins.run(e.time, e.component, 1, e.message, JSON.stringify(e.fields), e.raw);
  });
  for (let i = 0; i < events.length; i += 5000) tx(events.slice(i, i + 5000));
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  db.close();
  return events.length / s;
}

export async function benchStore(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-bench-store-'));
  try {
    const file = join(dir, 'mixed.log');
    await writePipeData(file, EVENTS);
    // The whole ingest as a user runs it: parse, store, correlate, incidents; peak RSS is the aim's.
    const cliRun = await measure(process.execPath, [CLI, 'ingest', '--db', join(dir, 'cli.db'), file]);
    console.log(
      `  ktrail ingest (CLI subprocess: parse, store, correlate, incidents) ${cliRun.seconds.toFixed(1)} s wall` +
        `${cliRun.cpuSeconds === undefined ? '' : `, ${cliRun.cpuSeconds.toFixed(1)} s CPU`}` +
        `${cliRun.peakRssMb === undefined ? '' : `, peak RSS ${Math.round(cliRun.peakRssMb)} MB (aim: under 600 MB)`}` +
        `${cliRun.status === 0 ? '' : `, exit ${cliRun.status}`} (load ${loadavg()[0]!.toFixed(1)})`,
    );
    rmSync(join(dir, 'cli.db'), { force: true });
    const dbFile = join(dir, 'bench.db');
    const store = openStore(dbFile);
    const writer = createWriter(store);
    const begin = writer.beginSource({ cluster: '', path: file, display: 'mixed.log', size: 0, mtime: 0, fingerprint: 'bench' });
    const ids = new Map([['mixed.log', begin.id]]);

    // Parse once into memory in slices, timing the store writes only, and keep a slice for the
    // bare-insert reference (same events, same process).
    // CPU seconds beside wall seconds: on a shared machine the wall rate follows the load.
    const sample: KEvent[] = [];
    let storeSeconds = 0;
    let storeCpu = 0;
    let parsed = 0;
    const timed = (f: () => void): void => {
      const t0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      f();
      const c = process.cpuUsage(c0);
      storeSeconds += Number(process.hrtime.bigint() - t0) / 1e9;
      storeCpu += (c.user + c.system) / 1e6;
    };
    const stream = openSources([{ input: file, display: 'mixed.log', hints: {} }], { onError: () => {} });
    for await (const batch of stream.events) {
      if (sample.length < 500_000) sample.push(...batch);
      timed(() => writer.addMergedEvents(batch, ids));
      parsed += batch.length;
    }
    timed(() => {
      writer.completeSources([{ id: begin.id, stats: stream.stats[0] }]);
      writer.close(); // builds the indexes in bulk mode
    });
    const bare = bareInsert(sample);
    console.log(`store: ${parsed.toLocaleString()} events`);
    console.log(
      `  ingest into the store, all indexes          ${Math.round(parsed / storeSeconds).toLocaleString().padStart(10)} events/s wall, ` +
        `${Math.round(parsed / storeCpu).toLocaleString()} events/s of CPU (aim: 150,000)`,
    );
    console.log(`  bare insert loop, one table, no index        ${Math.round(bare).toLocaleString().padStart(10)} events/s (reference)`);

    // Correlation as ingest runs it: the links, then the incident rules (aim: 30 s at 5M events).
    const l0 = process.hrtime.bigint();
    const lc = process.cpuUsage();
    const link = linkObjects(store.correlation);
    const linkSeconds = Number(process.hrtime.bigint() - l0) / 1e9;
    const linkCpu = process.cpuUsage(lc);
    console.log(
      `  correlation, links: ${link.objects.toLocaleString()} objects, ${link.links.toLocaleString()} links in ${linkSeconds.toFixed(1)} s wall, ` +
        `${((linkCpu.user + linkCpu.system) / 1e6).toFixed(1)} s CPU`,
    );
    const d0 = process.hrtime.bigint();
    const dc = process.cpuUsage();
    const found = detectIncidents(store);
    const detectSeconds = Number(process.hrtime.bigint() - d0) / 1e9;
    const detectCpu = process.cpuUsage(dc);
    console.log(
      `  correlation, incident rules: ${found.incidents.toLocaleString()} incidents in ${detectSeconds.toFixed(1)} s wall, ` +
        `${((detectCpu.user + detectCpu.system) / 1e6).toFixed(1)} s CPU; correlation in all ${(linkSeconds + detectSeconds).toFixed(1)} s (aim: 30 s) (load ${loadavg()[0]!.toFixed(1)})`,
    );

    // trace: a pod's timeline, for several pods (cold first, then warm).
    const traceTimes: number[] = [];
    const pods: { uid: string; ns: string; name: string }[] = [];
    let steps = 0;
    for (let i = 0; i < 20; i++) {
      const t = process.hrtime.bigint();
      const [root] = resolveObjectRef(store.objects, `pod/default/web-${i * 3}`);
      if (root) steps = store.objects.timeline(root).steps.length;
      traceTimes.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (root?.uid) pods.push({ uid: root.uid, ns: 'default', name: `web-${i * 3}` });
    }
    console.log(`  trace pod/default/web-N: median ${median(traceTimes).toFixed(1)} ms (${steps.toLocaleString()} steps; aim: under 100 ms)`);

    const reader = new StoreReader(store);
    const q = compileSql(parseQuery('{component="kubelet"} | level >= error | pod = "default/web-42"'), { correlated: false });
    const queryTimes: number[] = [];
    let rows = 0;
    for (let i = 0; i < 20; i++) {
      const t = process.hrtime.bigint();
      rows = reader.page({ limit: 100, filter: q }).length;
      queryTimes.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    console.log(`  indexed query (kubelet errors of one pod, first 100): median ${median(queryTimes).toFixed(1)} ms (${rows} rows)`);

    const like = 'Error syncing pod%web-42_default%';
    const k0 = process.hrtime.bigint();
    const ours = store.db.prepare(`SELECT count(*) FROM events WHERE message = 'Error syncing pod, skipping' AND raw LIKE ?`).pluck().get(`%web-42_default%`);
    const oursMs = Number(process.hrtime.bigint() - k0) / 1e6;
    const lnav = spawnSync('lnav', ['-V'], { encoding: 'utf8' });
    if (lnav.status === 0) {
      const t = process.hrtime.bigint();
      const r = spawnSync('lnav', ['-n', '-c', `;SELECT count(*) AS n FROM all_logs WHERE log_body LIKE '%${like}%'`, file], {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      });
      const lnavMs = Number(process.hrtime.bigint() - t) / 1e6;
      console.log(`  the same question (errors syncing pod web-42): ktrail store ${oursMs.toFixed(0)} ms (${ours}), lnav -n ${lnavMs.toFixed(0)} ms (it parses the file each time), ratio ${(lnavMs / Math.max(oursMs, 0.001)).toFixed(0)}x`);
      if (r.status !== 0) console.log(`  (lnav exited ${r.status}: ${r.stderr.slice(0, 200)})`);
    } else {
      console.log('  lnav: not installed (apt-get install lnav to compare)');
    }
    store.close();

    // trace as a user runs it: the CLI in a subprocess on the closed store (start-up, opening the
    // store, the timeline, the output to a pipe), by uid and by name, beside Node's own start, the
    // floor under any CLI run (cli.ts; BENCH_TRACE_DB=FILE times it on a kept store).
    if (pods[0]) await benchTraceCli(dbFile, pods[0], `the ${EVENTS.toLocaleString()}-event store, the first pod traced above`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
