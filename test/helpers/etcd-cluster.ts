/**
 * Starts a real etcd cluster on 127.0.0.1 for tests (the etcd on PATH, as .ci/run's `command -v etcd`
 * finds it; Debian's etcd-server gives /usr/bin/etcd, 3.4),
 * each member's stderr captured to its own file, so that tests can make things happen (kill the
 * leader) and then parse what etcd really wrote. Every process started here is killed by `stop()`,
 * and by an exit hook should a test die before calling it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { needEtcd } from './require.js';

/**
 * Why a test that needs etcd cannot run here, or false when it can (under CI a missing etcd fails
 * the run: test/helpers/require.ts). Called by the test files that start a cluster.
 */
export function etcdSkip(): string | false {
  return needEtcd().skip;
}

export type EtcdLogger = 'zap' | 'capnslog';

export interface EtcdMember {
  name: string;
  logger: EtcdLogger;
  /** The file that holds the member's stderr (all of its log output). */
  logFile: string;
  clientUrl: string;
  peerUrl: string;
  /** Member ID in hex, as etcd's logs print it (known once the member answered a status call). */
  id?: string;
  process: ChildProcess;
  /** False once the process has exited (killed or crashed). */
  readonly alive: boolean;
  /** Sends a signal and waits (at most 5 s) for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface MemberStatus {
  /** Hex member ID of the answering member. */
  id: string;
  /** Hex ID of the leader it knows, or undefined while it knows none. */
  leader?: string;
  term: number;
}

export interface EtcdCluster {
  dir: string;
  members: EtcdMember[];
  /** The member's own view (its ID, leader, term), or undefined if it does not answer. */
  status(member: EtcdMember, timeoutMs?: number): Promise<MemberStatus | undefined>;
  /**
   * Waits until every live member names the same leader (and that leader is live), with a term
   * above `minTerm`; rejects after `timeoutMs`.
   */
  waitForLeader(opts?: { timeoutMs?: number; minTerm?: number }): Promise<{ leader: EtcdMember; id: string; term: number }>;
  /** Kills every member still running: SIGTERM, then SIGKILL after a grace period. Idempotent. */
  stop(graceMs?: number): Promise<void>;
  /** stop(), then removes the data and log directory. */
  dispose(): Promise<void>;
}

export interface EtcdClusterOptions {
  /** One entry per member: the logger it uses. Default: zap, zap, capnslog. */
  loggers?: EtcdLogger[];
  heartbeatMs?: number;
  electionMs?: number;
  binary?: string;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort: a test process that ends without stop() must not leave etcd running.
  process.on('exit', () => {
    for (const p of live) if (p.pid !== undefined) p.kill('SIGKILL');
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function hex(decimal: unknown): string | undefined {
  if (typeof decimal !== 'string' || !/^\d+$/.test(decimal) || decimal === '0') return undefined;
  return BigInt(decimal).toString(16);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves after `ms` unless it loses the race first: the timer is cleared, so it keeps no process alive. */
async function raceTimeout<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function startEtcdCluster(opts: EtcdClusterOptions = {}): Promise<EtcdCluster> {
  const loggers = opts.loggers ?? ['zap', 'zap', 'capnslog'];
  const binary = opts.binary ?? needEtcd().path;
  if (!binary) throw new Error('no etcd executable on PATH');
  const heartbeat = opts.heartbeatMs ?? 100;
  const election = opts.electionMs ?? 1000;
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-etcd-'));
  installExitHook();

  const plan: { name: string; logger: EtcdLogger; peerUrl: string; clientUrl: string }[] = [];
  for (let i = 0; i < loggers.length; i++) {
    plan.push({
      name: `m${i + 1}`,
      logger: loggers[i]!,
      peerUrl: `http://127.0.0.1:${await freePort()}`,
      clientUrl: `http://127.0.0.1:${await freePort()}`,
    });
  }
  const initialCluster = plan.map((p) => `${p.name}=${p.peerUrl}`).join(',');
  const token = `ktrail-${process.pid}-${Date.now()}`;

  const members: EtcdMember[] = [];
  const stop = async (graceMs = 2000): Promise<void> => {
    await Promise.all(
      members.map(async (m) => {
        if (!m.alive) return;
        if (graceMs > 0) await raceTimeout(m.kill('SIGTERM'), graceMs);
        if (m.alive) await m.kill('SIGKILL');
      }),
    );
  };

  try {
    for (const p of plan) {
      const logFile = join(dir, `${p.name}.log`);
      const fd = openSync(logFile, 'w');
      const args = [
        `--name=${p.name}`,
        `--data-dir=${join(dir, p.name)}`,
        `--listen-peer-urls=${p.peerUrl}`,
        `--initial-advertise-peer-urls=${p.peerUrl}`,
        `--listen-client-urls=${p.clientUrl}`,
        `--advertise-client-urls=${p.clientUrl}`,
        `--initial-cluster=${initialCluster}`,
        '--initial-cluster-state=new',
        `--initial-cluster-token=${token}`,
        `--heartbeat-interval=${heartbeat}`,
        `--election-timeout=${election}`,
      ];
      if (p.logger === 'zap') args.push('--logger=zap', '--log-outputs=stderr');
      // A clean environment: ETCD_* variables of the host would reconfigure the members.
      const child = spawn(binary, args, { stdio: ['ignore', fd, fd], env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' } });
      closeSync(fd); // the child holds its own copy
      live.add(child);
      let alive = true;
      const exited = new Promise<void>((resolve) => {
        child.once('exit', () => {
          alive = false;
          live.delete(child);
          resolve();
        });
        child.once('error', () => {
          alive = false;
          live.delete(child);
          resolve();
        });
      });
      members.push({
        name: p.name,
        logger: p.logger,
        logFile,
        clientUrl: p.clientUrl,
        peerUrl: p.peerUrl,
        process: child,
        get alive() {
          return alive;
        },
        async kill(signal: NodeJS.Signals = 'SIGTERM') {
          if (!alive) return;
          child.kill(signal);
          await raceTimeout(exited, 5000);
        },
      });
    }
  } catch (err) {
    await stop(0);
    throw err;
  }

  const status = async (member: EtcdMember, timeoutMs = 1000): Promise<MemberStatus | undefined> => {
    if (!member.alive) return undefined;
    try {
      const res = await fetch(`${member.clientUrl}/v3/maintenance/status`, {
        method: 'POST',
        body: '{}',
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) return undefined;
      const body = (await res.json()) as { header?: { member_id?: string }; leader?: string; raftTerm?: string };
      const id = hex(body.header?.member_id);
      if (!id) return undefined;
      member.id = id;
      const leader = hex(body.leader);
      return { id, ...(leader ? { leader } : {}), term: Number(body.raftTerm ?? 0) };
    } catch {
      return undefined;
    }
  };

  const waitForLeader: EtcdCluster['waitForLeader'] = async ({ timeoutMs = 15_000, minTerm = 0 } = {}) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const running = members.filter((m) => m.alive);
      const views = await Promise.all(running.map((m) => status(m)));
      const first = views[0];
      if (
        first?.leader &&
        views.every((v) => v && v.leader === first.leader && v.term === first.term) &&
        first.term > minTerm
      ) {
        const leader = running.find((m) => m.id === first.leader);
        if (leader) return { leader, id: first.leader, term: first.term };
      }
      await sleep(100);
    }
    const logs = members.map((m) => m.logFile).join(', ');
    throw new Error(`no agreed etcd leader above term ${minTerm} within ${timeoutMs} ms (logs: ${logs})`);
  };

  return {
    dir,
    members,
    status,
    waitForLeader,
    stop,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
