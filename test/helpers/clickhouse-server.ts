/**
 * Starts Debian's clickhouse-server (18.16 here; any later release reads the same config) as a
 * plain process on loopback for tests, with its own temporary config, data folder and log file:
 * one node, or two nodes whose remote_servers name both as the two shards of the cluster
 * `ktrail_test`. Ports come from the range the caller gives (ours: 19100-19199), each one checked
 * free before use. Every process started here is killed by `stop()`, and by an exit hook should a
 * test die before calling it. 18.16 takes a few seconds to start: share one per test file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { needClickhouse } from './require.js';

/** Why a test that needs clickhouse-server cannot run here, or false when it can. */
export function clickhouseSkip(): string | false {
  return needClickhouse().skip;
}

export const TEST_CLUSTER = 'ktrail_test';

export interface ClickhouseNode {
  dir: string;
  /** The loopback address it listens on (127.0.0.1, 127.0.0.2...). */
  host: string;
  httpPort: number;
  tcpPort: number;
  /** The file clickhouse-server logs to (read it when a test fails). */
  logFile: string;
  process: ChildProcess;
}

export interface ClickhouseServers {
  nodes: ClickhouseNode[];
  /** A ktrail URL to `database` on the first node (with ?cluster= for a two-shard start); `user` defaults to default. */
  url(database: string): string;
  /** One statement over HTTP to node `i` as `default`; resolves with the response text. */
  sql(statement: string, i?: number): Promise<string>;
  /** Kills every node (SIGTERM, then SIGKILL) and removes its folder. Idempotent. */
  stop(): Promise<void>;
}

export interface ClickhouseOptions {
  /** 1 (default) or 2: two servers that are the two shards of TEST_CLUSTER. */
  shards?: 1 | 2;
  /** Ports to pick from, inclusive. Default 19100-19199. */
  portRange?: [number, number];
}

/** Servers still running; killed when the test process exits, should a test die before stop(). */
const running: ChildProcess[] = [];
process.on('exit', () => running.forEach((p) => p.kill('SIGKILL')));

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

async function portFreeOnAll(port: number, hosts: readonly string[]): Promise<boolean> {
  for (const h of hosts) if (!(await portFree(port, h))) return false;
  return true;
}

// Test files run two at a time: start the search at a random place so that two files rarely race
// for the same ports between the check and the server's bind.
async function freePorts(count: number, [lo, hi]: [number, number], hosts: readonly string[]): Promise<number[]> {
  const span = hi - lo + 1;
  const start = Math.floor(Math.random() * span);
  const out: number[] = [];
  for (let i = 0; i < span && out.length < count; i++) {
    const port = lo + ((start + i) % span);
    if (await portFreeOnAll(port, hosts)) out.push(port);
  }
  if (out.length < count) throw new Error(`no ${count} free ports in ${lo}-${hi}`);
  return out;
}

function remoteServers(hosts: readonly string[], tcpPort: number): string {
  const shards = hosts.map((h) => `<shard><replica><host>${h}</host><port>${tcpPort}</port></replica></shard>`).join('');
  return `<remote_servers><${TEST_CLUSTER}>${shards}</${TEST_CLUSTER}></remote_servers>`;
}

function configXml(dir: string, host: string, ports: { http: number; tcp: number; interserver: number }, remote: string): string {
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>information</level><log>${dir}/server.log</log><errorlog>${dir}/server.err.log</errorlog><size>100M</size><count>1</count></logger>
  <http_port>${ports.http}</http_port>
  <tcp_port>${ports.tcp}</tcp_port>
  <interserver_http_port>${ports.interserver}</interserver_http_port>
  <interserver_http_host>${host}</interserver_http_host>
  <listen_host>${host}</listen_host>
  <max_connections>64</max_connections>
  <keep_alive_timeout>3</keep_alive_timeout>
  <max_concurrent_queries>32</max_concurrent_queries>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <mark_cache_size>67108864</mark_cache_size>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <macros><ktrail_test_dir>${dir}</ktrail_test_dir></macros>
  ${remote}
</yandex>
`;
}

// `default` may do anything; `reader` (password "reader") only reads, as docs/clickhouse.md
// advises for dashboards.
const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default><max_memory_usage>2000000000</max_memory_usage></default>
    <readonly><readonly>1</readonly></readonly>
  </profiles>
  <users>
    <default><password></password><networks><ip>127.0.0.0/8</ip></networks><profile>default</profile><quota>default</quota></default>
    <reader><password>reader</password><networks><ip>127.0.0.0/8</ip></networks><profile>readonly</profile><quota>default</quota></reader>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;

/** POSTs one statement to a node's HTTP interface (a new connection each time: reusing one the server closes after keep_alive_timeout fails at random). */
export function httpSql(host: string, port: number, statement: string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, method: 'POST', path: '/', timeout: timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 200) resolve(text);
        else reject(new Error(`clickhouse ${port}: HTTP ${res.statusCode}: ${text.slice(0, 500)}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`clickhouse ${port}: timeout`)));
    req.on('error', reject);
    req.end(statement);
  });
}

function ping(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: '/ping', timeout: 1000, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** A server that may have lost a port race: another process bound a port between check and start. */
class PortRaceError extends Error {}

async function waitForPing(node: ClickhouseNode, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (node.process.exitCode !== null || node.process.signalCode !== null) break;
    if (await ping(node.host, node.httpPort)) {
      // The answer may come from another test file's server that took the port between the
      // check and this server's bind: only this node's own config names its folder.
      const own = await httpSql(node.host, node.httpPort, "SELECT substitution FROM system.macros WHERE macro = 'ktrail_test_dir' FORMAT TSV").catch(() => '');
      if (own.trim() === node.dir) return;
      throw new PortRaceError(`port ${node.httpPort} answered for another server`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  let log = '';
  try {
    log = readFileSync(join(node.dir, 'server.err.log'), 'utf8').slice(-2000);
  } catch {
    // no log yet
  }
  if (/Address already in use/.test(log)) throw new PortRaceError(`port taken: ${log.slice(-300)}`);
  throw new Error(`clickhouse-server on port ${node.httpPort} did not answer /ping in ${timeoutMs} ms: ${log}`);
}

async function kill(p: ChildProcess, graceMs: number): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
  p.kill('SIGTERM');
  const timer = setTimeout(() => p.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts one node (or two shards) and waits until each answers /ping. Ports are checked free and
 * then bound by the server, so another test file may take one in between: that start is stopped
 * and tried again on other ports.
 */
export async function startClickhouse(opts: ClickhouseOptions = {}): Promise<ClickhouseServers> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      if (!(err instanceof PortRaceError) || attempt === 5) throw err;
    }
  }
}

async function startOnce(opts: ClickhouseOptions): Promise<ClickhouseServers> {
  const binary = needClickhouse().path;
  // (Linux answers on all of 127.0.0.0/8 without configuration.)
  if (!binary) throw new Error('clickhouse-server is missing');
  const count = opts.shards ?? 1;
  const range = opts.portRange ?? [19100, 19199];
  // Shard i listens on 127.0.0.(i+1), every shard on the same ports: as in production, where
  // each host has the same HTTP port, which ktrail reaches each shard at.
  const hosts = Array.from({ length: count }, (_, i) => `127.0.0.${i + 1}`);
  const [http, tcp, interserver] = await freePorts(3, range, hosts);
  const p = { http: http!, tcp: tcp!, interserver: interserver! };
  const remote = count > 1 ? remoteServers(hosts, p.tcp) : '';
  const nodes: ClickhouseNode[] = [];
  for (const host of hosts) {
    const dir = mkdtempSync(join(tmpdir(), 'ktrail-ch-'));
    for (const d of ['data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(dir, d));
    writeFileSync(join(dir, 'config.xml'), configXml(dir, host, p, remote));
    writeFileSync(join(dir, 'users.xml'), USERS_XML);
    const out = openSync(join(dir, 'stdout.log'), 'a');
    const child = spawn(binary, [`--config-file=${join(dir, 'config.xml')}`], { cwd: dir, stdio: ['ignore', out, out] });
    closeSync(out);
    running.push(child);
    child.once('exit', () => running.splice(running.indexOf(child), 1));
    nodes.push({ dir, host, httpPort: p.http, tcpPort: p.tcp, logFile: join(dir, 'server.log'), process: child });
  }
  let stopped = false;
  const servers: ClickhouseServers = {
    nodes,
    url: (database) =>
      `clickhouse://default@127.0.0.1:${nodes[0]!.httpPort}/${database}${count > 1 ? `?cluster=${TEST_CLUSTER}` : ''}`,
    sql: (statement, i = 0) => httpSql(nodes[i]!.host, nodes[i]!.httpPort, statement),
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all(nodes.map((n) => kill(n.process, 5000)));
      for (const n of nodes) rmSync(n.dir, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(nodes.map((n) => waitForPing(n, 60_000)));
  } catch (err) {
    await servers.stop();
    throw err;
  }
  return servers;
}
