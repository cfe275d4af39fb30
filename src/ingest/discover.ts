/**
 * Discovery: the paths on the command line to the list of sources to read, each with what its
 * place says about it (host, pod, component), and the files that are recognized but not read
 * (with the reason, for the summary).
 *
 * Layouts it knows beyond plain files and directories:
 * - `kind export logs` bundles: `kind-version.txt`/`docker-info.txt` at the top, one folder per
 *   node (host = folder name) with kubelet.log, journal.log, containerd.log, `pods/` and
 *   `containers/` (the same container logs twice: pods/ is read, containers/ set aside);
 * - the kubelet's `pods/<ns>_<pod>_<uid>/<container>/<n>.log` tree wherever it appears
 *   (a copy of /var/log/pods);
 * - must-gather trees: `namespaces/<ns>/pods/<pod>/<container>/<container>/logs/current.log`,
 *   `namespaces/<ns>/core/events.yaml`, `host_service_logs/masters/<unit>_service.log`;
 * - archives (.tar, .tar.gz, .tar.xz, .tar.zst, .zip), given by name or met in a folder: extracted safely
 *   (archive-input.ts) and walked like a folder, their entries shown as `<archive>/<entry>`.
 *
 * Walks are sorted by name (code units, not locale) so that two runs list sources identically.
 */
import type { Dirent, Stats } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { PodHint, SourceHints } from '../../parsers/types.js';
import type { Component } from '../model/event.js';
import { componentFromName } from '../../parsers/envelope/component-names.js';
import { describeError, type Diagnostics } from './diagnostics.js';
import { readHead, type HeadSniff } from './framing.js';
import { archiveKind } from '../report/archive/extract.js';
import { openArchive } from './archive-input.js';
import { clusterNameOf } from './cluster-name.js';
import { notALogByContent, notALogByName } from './not-a-log.js';

export interface SourceFile {
  /** Absolute path (a symbolic link inside the input tree is kept as found). */
  path: string;
  /** Relative to the input directory (prefixed with that directory when several paths were given), or as given. */
  display: string;
  hints: SourceHints;
  /** Why the file is not read as a log ('not a log (inspect.json)', 'duplicate of ...', 'binary ...'). */
  setAside?: string;
  /**
   * Age within `group`: 0 for the newest file (the live one), 1, 2... for older ones; a group
   * whose live file is absent starts at 1. Read a group from the highest rotation down to get
   * it in time order.
   */
  rotation?: number;
  /** Files of one logical stream (a log and its rotations, a container's restarts). */
  group?: string;
  /** A kind containers/ file: the container ID from its name (for the correlator). */
  containerId?: string;
  /** The kind node folder the file belongs to (see readKubernetesVersion). */
  nodeDir?: string;
  /** The cluster of the input it was found in (cluster-name.ts); absent for a file given by name. */
  cluster?: string;
  /**
   * A pipe (a FIFO, `-`, /dev/stdin, <(cmd)): its bytes can be read once only, so nothing may
   * look at it before it is read (no binary sniff, no reference-time scan, no backwards read).
   */
  stream?: true;
  /** `-` or /dev/stdin: the process's stdin, read as the stream it is (a socket cannot be opened by name). */
  stdin?: true;
  /**
   * Another source that holds every line of this one: kind exports the node's whole journal
   * (journal.log) and per-unit extracts of it (kubelet.log, containerd.log). In the kind 1.32
   * corpus all 286 kubelet.log and 227 containerd.log lines are also in journal.log.
   */
  alsoIn?: string;
}

/** The filesystem calls discovery makes: tests substitute failing ones (root reads everything). */
export interface DiscoveryFs {
  stat(path: string): Promise<Stats>;
  readdir(path: string): Promise<Dirent[]>;
  realpath(path: string): Promise<string>;
  readHead(path: string, maxBytes: number): Promise<HeadSniff>;
}

export const nodeFs: DiscoveryFs = {
  stat: (path) => fsp.stat(path),
  readdir: (path) => fsp.readdir(path, { withFileTypes: true }),
  realpath: (path) => fsp.realpath(path),
  readHead,
};

/** Archives opened inside archives, at most (see Walker.addArchive). */
const MAX_ARCHIVE_DEPTH = 2;

/** Bytes looked at for a NUL (binary) after gzip decompression. */
const SNIFF_BYTES = 4096;

// ---------------------------------------------------------------------------------------------
// kind bundles

/** Files at the top of a `kind export logs` bundle. */
const KIND_ROOT_MARKERS = ['kind-version.txt', 'docker-info.txt'];

/**
 * Files kind writes that are recognized but not read, with why (checked against the kind 1.32
 * corpus bundle).
 */
const KIND_SET_ASIDE: ReadonlyMap<string, string> = new Map([
  // The kind CLI's version string ("kind v0.27.0 go1.23.6 windows/amd64"): one line, no events.
  ['kind-version.txt', 'not a log (kind-version.txt)'],
  // `docker info` of the machine that ran kind: a configuration listing, no timestamps.
  ['docker-info.txt', 'not a log (docker-info.txt)'],
  // `docker inspect` of the node container: one JSON document (state, mounts, network).
  ['inspect.json', 'not a log (inspect.json)'],
  // `crictl images` table (IMAGE TAG IMAGE-ID SIZE) despite its name: a listing, not events.
  ['images.log', 'not a log (images.log)'],
  // The node's Kubernetes version ("v1.32.2"): read with readKubernetesVersion, not as lines.
  ['kubernetes-version.txt', 'not a log (kubernetes-version.txt)'],
  // Debian's update-alternatives log: the image picking iptables-nft at boot, 4 lines that no
  // cluster component writes and that name no Kubernetes object.
  ['alternatives.log', 'not a component log (alternatives.log)'],
  // The node container's console: the kind entrypoint's "INFO: ..." and systemd's coloured boot
  // status lines, without any timestamp, written before journald starts; no cluster component.
  ['serial.log', 'not a component log (serial.log)'],
]);

/** What a kind node folder holds; one of them under a bundle root, two elsewhere, make a node. */
interface NodeSignals {
  files: number; // kubelet.log, journal.log
  dirs: number; // containers/, pods/
}

function nodeSignals(entries: readonly Dirent[]): NodeSignals {
  let files = 0;
  let dirs = 0;
  for (const e of entries) {
    if ((e.name === 'kubelet.log' || e.name === 'journal.log') && !e.isDirectory()) files++;
    if ((e.name === 'containers' || e.name === 'pods') && (e.isDirectory() || e.isSymbolicLink())) dirs++;
  }
  return { files, dirs };
}

/**
 * The top of an OpenShift must-gather (one folder per image under the gather's own folder): its
 * namespaces/ beside cluster-scoped-resources/ or host_service_logs/.
 */
function isMustGatherRoot(entries: readonly Dirent[]): boolean {
  const dirs = new Set(entries.filter((e) => e.isDirectory()).map((e) => e.name));
  return dirs.has('namespaces') && (dirs.has('cluster-scoped-resources') || dirs.has('host_service_logs'));
}

function isKindRoot(entries: readonly Dirent[]): boolean {
  return entries.some((e) => KIND_ROOT_MARKERS.includes(e.name) && !e.isDirectory());
}

/**
 * A folder is a kind node when its parent is a bundle root and it holds any node file, or, on
 * its own, when it holds a journald export and a container log tree (so that a bare /var/log,
 * which has pods/ and containers/ but no kubelet.log, does not become a host named "log").
 */
function isNodeFolder(entries: readonly Dirent[], underKindRoot: boolean): boolean {
  const s = nodeSignals(entries);
  return underKindRoot ? s.files + s.dirs > 0 : s.files > 0 && s.dirs > 0;
}

// ---------------------------------------------------------------------------------------------
// Names

/** Where a file sits in its stream: the live file, a numbered rotation, a dated rotation. */
interface Age {
  /** Container restart count (pods/<n>.log), must-gather current (1) / previous (0); else 0. */
  instance: number;
  live: boolean;
  /** logrotate's .1, .2... (larger is older). */
  num: number;
  /** A rotation timestamp as digits (larger is newer). */
  stamp: string;
}

interface SplitName {
  /** The name without rotation suffix and without .gz. */
  stem: string;
  age: Age;
}

const DATED = /^(.+?)[.-](\d{8}(?:-\d{6})?)$/; // kubelet's 0.log.20250321-145123, logrotate's x.log-20250321
const LUMBERJACK = /^(.+)-(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})\.(\d{3})(\.log)$/; // audit-2025-03-21T14-51-23.123.log
const NUMBERED = /^(.+)\.(\d{1,4})$/; // kube-apiserver.log.1

export function splitRotation(name: string): SplitName {
  const plain = name.replace(/\.gz$/i, '');
  const live: Age = { instance: 0, live: true, num: 0, stamp: '' };
  let m = DATED.exec(plain);
  if (m) return { stem: m[1]!, age: { ...live, live: false, stamp: m[2]!.replace('-', '') } };
  m = LUMBERJACK.exec(plain);
  if (m) return { stem: m[1]! + m[9]!, age: { ...live, live: false, stamp: m.slice(2, 9).join('') } };
  m = NUMBERED.exec(plain);
  if (m) return { stem: m[1]!, age: { ...live, live: false, num: Number(m[2]) } };
  return { stem: plain, age: live };
}

/**
 * The name a component is read from: `kube-proxy.log.2.gz` -> `kube-proxy`; a capture script's
 * timestamp prefix goes too (`2023-08-29T23:48:45-scheduler.log.txt` -> `scheduler`).
 */
function nameStem(name: string): string {
  const stem = splitRotation(name)
    .stem.replace(/(?:\.(?:log|txt|out))+$/i, '')
    .replace(/^\d{4}-\d\d-\d\d(?:[T_ ]\d\d[:-]?\d\d[:-]?\d\d)?[-_]/, '');
  return SHORT_FILE_NAMES.get(stem.toLowerCase()) ?? stem;
}

/**
 * A file named only by the component's short name: capture scripts write `scheduler.log`,
 * `apiserver.log` (a container or pod named so is not matched: this is for file stems only).
 */
const SHORT_FILE_NAMES: ReadonlyMap<string, string> = new Map([
  ['scheduler', 'kube-scheduler'],
  ['apiserver', 'kube-apiserver'],
  ['controller-manager', 'kube-controller-manager'],
  ['proxy', 'kube-proxy'],
]);

/** Newest first: later instance, live file, lower logrotate number, later timestamp. */
function compareAge(a: Age, b: Age): number {
  if (a.instance !== b.instance) return b.instance - a.instance;
  if (a.live !== b.live) return a.live ? -1 : 1;
  if (a.num !== b.num) return a.num - b.num;
  return a.stamp === b.stamp ? 0 : a.stamp > b.stamp ? -1 : 1;
}

/** `<ns>_<pod>_<uid>`: none of the three may hold "_" (DNS names, UIDs). */
const POD_DIR = /^([^_]+)_([^_]+)_([^_]+)$/;
/** `<n>.log`, `<n>.log.<timestamp>`, `<n>.log.<timestamp>.gz` in a pods/ container folder. */
const POD_LOG = /^(\d+)\.log(?:\.\d{8}-\d{6})?(?:\.gz)?$/;
/**
 * dockershim's container name, `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>`, as a file name
 * (optionally with a suffix such as `.log` or `-json.log`). None of the parts may hold "_".
 */
const DOCKERSHIM_NAME = /^k8s_([^_]+)_([^_]+)_([^_]+)_([^_]+)_(\d+)(?:[.-][^_]*)?$/;
/** `<pod>_<ns>_<container>-<64 hex>.log` in /var/log/containers. */
const CONTAINER_LOG = /^([^_]+)_([^_]+)_([^_]+)-([0-9a-f]{64})\.log$/;

// ---------------------------------------------------------------------------------------------
// The walk

interface NodeFolder {
  abs: string;
  host: string;
}

/** A file found on disk, before classification. */
interface Found {
  abs: string;
  real: string;
  display: string;
  /** The absolute path's segments, which the layout patterns look at. */
  segs: string[];
  node?: NodeFolder;
  /** The folder holding kind-version.txt, when the file sits directly in it. */
  inKindRoot: boolean;
  /** The file is inside a must-gather (a folder with namespaces/ and cluster-scoped-resources/ or host_service_logs/). */
  inMustGather?: boolean;
  /** Read without looking at it first (a pipe or device given by name: sniffing would eat input). */
  special: boolean;
}

/** A classified source, with what grouping and de-duplication need. */
interface Entry {
  source: SourceFile;
  real: string;
  age?: Age;
  /** pods/ and containers/ files: "<base>|<ns>|<pod>|<container>" for twin matching. */
  twinKey?: string;
  fromContainers?: boolean;
  special: boolean;
}

/**
 * The one kind of link followed out of the tree: on a node, /var/log/containers/<pod>_<ns>_<c>-<id>.log
 * links to /var/log/pods/<ns>_<pod>_<uid>/<c>/<n>.log, so `ktrail /var/log/containers` would
 * otherwise read nothing. The target is a kubelet container log by construction.
 */
function isKubeletContainerLink(name: string, target: string): boolean {
  const segs = target.split(sep);
  const n = segs.length;
  return CONTAINER_LOG.test(name) && n >= 4 && segs[n - 4] === 'pods' && POD_DIR.test(segs[n - 3]!) && POD_LOG.test(segs[n - 1]!);
}

function segments(abs: string): string[] {
  return abs.split(sep).filter(Boolean);
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

class Walker {
  readonly found: Found[] = [];
  /** The folder walked for the last path added (a folder, an archive's extracted root). */
  root: string | undefined;

  constructor(
    private readonly fs: DiscoveryFs,
    private readonly diag: Diagnostics,
  ) {}

  /** One command-line path. `prefix` is prepended to displays when several paths were given. */
  async add(given: string, prefix: string): Promise<void> {
    const abs = given === '-' ? '/dev/stdin' : resolve(given);
    this.root = undefined;
    let st: Stats;
    let real: string;
    try {
      st = await this.fs.stat(abs);
    } catch (err) {
      this.diag.warn(given, describeError(err));
      return;
    }
    try {
      real = await this.fs.realpath(abs);
    } catch {
      // /dev/stdin and /dev/fd/N (bash's <(cmd)) lead to a pipe, which has no path: the name given is its identity.
      real = abs;
    }
    if (st.isCharacterDevice() || st.isBlockDevice()) {
      // /dev/zero or /dev/urandom would be read forever; a terminal is no log either.
      this.diag.warn(given, 'is a device, not a log: not read');
      return;
    }
    if (st.isDirectory()) {
      const underKindRoot = await this.parentIsKindRoot(abs);
      // A folder inside a node (`kind-control-plane/pods`) still belongs to that node.
      const node = await this.nodeAbove(abs);
      this.root = abs;
      await this.walk(abs, [], { rootReal: real, prefix, given, underKindRoot, visited: new Set([real]), node });
      return;
    }
    if (st.isFile() && (await this.addArchive(abs, given, 0))) return;
    this.found.push({
      abs,
      real,
      display: given,
      segs: segments(abs),
      node: await this.nodeAbove(abs),
      inKindRoot: false,
      special: !st.isFile(),
    });
  }

  /**
   * An archive is extracted and walked as a folder named like it. Archives inside archives are
   * opened too, down to MAX_ARCHIVE_DEPTH (a bundle of node tarballs), and no deeper: each level
   * has its own size bounds, and an archive nested without end is a bomb of its own.
   * Returns false when `abs` is no archive (a plain file).
   */
  private async addArchive(abs: string, display: string, depth: number): Promise<boolean> {
    const kind = archiveKind(abs);
    if (!kind) return false;
    if (depth >= MAX_ARCHIVE_DEPTH) {
      this.diag.warn(display, `archive nested ${depth} deep, not opened`);
      return true;
    }
    const root = await openArchive(abs, kind, display, this.diag);
    if (root === undefined) return true;
    if (depth === 0) this.root = root;
    const real = await this.fs.realpath(root);
    await this.walk(root, [], {
      rootReal: real,
      prefix: `${display}/`,
      given: display,
      underKindRoot: false,
      visited: new Set([real]),
      archiveDepth: depth + 1,
    });
    return true;
  }

  private async parentIsKindRoot(dir: string): Promise<boolean> {
    const parent = dirname(dir);
    if (parent === dir) return false;
    try {
      return isKindRoot(await this.fs.readdir(parent));
    } catch {
      return false; // only a hint: an unreadable parent is not the input's problem
    }
  }

  /** The node folder a path given by name sits in: its folder, or the one above pods/ or containers/. */
  private async nodeAbove(abs: string): Promise<NodeFolder | undefined> {
    const segs = segments(abs);
    const i = Math.max(segs.lastIndexOf('pods'), segs.lastIndexOf('containers'));
    const candidate = i > 0 ? sep + segs.slice(0, i).join(sep) : dirname(abs);
    try {
      const entries = await this.fs.readdir(candidate);
      if (isNodeFolder(entries, await this.parentIsKindRoot(candidate))) {
        return { abs: candidate, host: basename(candidate) };
      }
    } catch {
      // no node context
    }
    return undefined;
  }

  private async walk(
    dir: string,
    rel: string[],
    ctx: {
      rootReal: string;
      prefix: string;
      given: string;
      underKindRoot: boolean;
      visited: Set<string>;
      node?: NodeFolder;
      /** Archives this folder is inside of (0 outside any). */
      archiveDepth?: number;
      inMustGather?: boolean;
    },
  ): Promise<void> {
    const display = (parts: string[]): string => ctx.prefix + parts.join('/');
    let entries: Dirent[];
    try {
      entries = await this.fs.readdir(dir);
    } catch (err) {
      this.diag.warn(rel.length ? display(rel) : ctx.given, describeError(err));
      return;
    }
    entries.sort(byName);
    const kindRoot = isKindRoot(entries);
    const inMustGather = ctx.inMustGather === true || isMustGatherRoot(entries);
    const node = ctx.node ?? (isNodeFolder(entries, ctx.underKindRoot) ? { abs: dir, host: basename(dir) } : undefined);
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      const parts = [...rel, entry.name];
      const isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let real = abs;
      if (entry.isSymbolicLink() || isDir) {
        try {
          real = await this.fs.realpath(abs);
          if (entry.isSymbolicLink()) {
            if (!isInside(ctx.rootReal, real) && !isKubeletContainerLink(entry.name, real)) {
              this.diag.warn(display(parts), 'symbolic link out of the input tree, not followed');
              continue;
            }
            const st = await this.fs.stat(abs);
            // A link to a folder inside the tree: the walk reaches that folder by its own path
            // (which is what the layout patterns expect), so following the link would only
            // list it twice, or loop.
            if (st.isDirectory()) continue;
            isFile = st.isFile();
          }
        } catch (err) {
          this.diag.warn(display(parts), describeError(err));
          continue;
        }
      }
      if (isDir) {
        if (ctx.visited.has(real)) continue; // a bind mount or the like showing a folder again
        ctx.visited.add(real);
        await this.walk(abs, parts, { ...ctx, underKindRoot: kindRoot, node, inMustGather });
      } else if (isFile) {
        if (await this.addArchive(abs, display(parts), ctx.archiveDepth ?? 0)) continue;
        this.found.push({ abs, real, display: display(parts), segs: segments(abs), node, inKindRoot: kindRoot, inMustGather, special: false });
      } else {
        // A FIFO or device inside a tree is no log file, and opening a FIFO would block.
        this.diag.warn(display(parts), 'not a regular file, skipped');
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Classification

function podHint(namespace: string, name: string, container: string, uid?: string): PodHint {
  const pod: PodHint = { namespace, name };
  if (uid) pod.uid = uid;
  pod.container = container;
  return pod;
}

function withComponent(hints: SourceHints, name: string): SourceHints {
  const component = componentFromName(name);
  if (component) hints.component = component;
  return hints;
}

/**
 * OpenShift containers that are a cluster component under another name, by `<namespace>/<container>`
 * (the must-gather path gives both): CoreDNS runs as `dns` in openshift-dns.
 */
const OPENSHIFT_CONTAINERS: ReadonlyMap<string, Component> = new Map([['openshift-dns/dns', 'coredns']]);

/** must-gather: `namespaces/<ns>/...` or `cluster-scoped-resources/...` somewhere in the path. */
function mustGatherIndex(segs: readonly string[]): number {
  for (let i = segs.length - 3; i >= 0; i--) if (segs[i] === 'namespaces') return i;
  return -1;
}

function classify(f: Found): Entry {
  const name = f.segs[f.segs.length - 1] ?? basename(f.abs);
  const hints: SourceHints = {};
  if (f.node) hints.host = f.node.host;
  const source: SourceFile = { path: f.abs, display: f.display, hints };
  if (f.node) source.nodeDir = f.node.abs;
  if (f.special) source.stream = true;
  if (f.abs === '/dev/stdin') source.stdin = true;
  const entry: Entry = { source, real: f.real, special: f.special };
  const segs = f.segs;
  const n = segs.length;

  // kind's own non-log files, at the top of the bundle or of a node folder.
  const kindReason = KIND_SET_ASIDE.get(name);
  const nodeLevel = f.node !== undefined && dirname(f.abs) === f.node.abs;
  if (kindReason && (f.inKindRoot || nodeLevel)) {
    source.setAside = kindReason;
    return entry;
  }

  // pods/<ns>_<pod>_<uid>/<container>/<n>.log
  if (n >= 4 && segs[n - 4] === 'pods') {
    const dir = POD_DIR.exec(segs[n - 3]!);
    const file = POD_LOG.exec(name);
    if (dir && file) {
      const [, namespace, pod, uid] = dir;
      const container = segs[n - 2]!;
      source.hints = withComponent({ ...hints, pod: podHint(namespace!, pod!, container, uid) }, container);
      source.group = dirname(f.abs);
      entry.age = { ...splitRotation(name).age, instance: Number(file[1]) };
      entry.twinKey = [dirname(dirname(dirname(dirname(f.abs)))), namespace, pod, container].join('|');
      return entry;
    }
  }

  // containers/<pod>_<ns>_<container>-<id>.log
  if (n >= 2 && segs[n - 2] === 'containers') {
    const m = CONTAINER_LOG.exec(name);
    if (m) {
      const [, pod, namespace, container, id] = m;
      // A node's containers/ entry is a link into pods/: its target names the pod's UID.
      const target = f.real.split(sep);
      const targetDir = target.length >= 4 && target[target.length - 4] === 'pods' ? POD_DIR.exec(target[target.length - 3]!) : null;
      const uid = targetDir && targetDir[1] === namespace && targetDir[2] === pod ? targetDir[3] : undefined;
      source.hints = withComponent({ ...hints, pod: podHint(namespace!, pod!, container!, uid) }, container!);
      source.containerId = id!;
      source.group = join(dirname(f.abs), `${pod}_${namespace}_${container}`);
      entry.age = splitRotation(name).age;
      entry.twinKey = [dirname(dirname(f.abs)), namespace, pod, container].join('|');
      entry.fromContainers = true;
      return entry;
    }
  }

  // Docker-era names outside a containers/ folder: a /var/log/containers name copied elsewhere,
  // or dockershim's container name `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>` (what
  // `docker ps` shows and what per-container dumps of a dockershim node are named after).
  const docker = DOCKERSHIM_NAME.exec(name);
  const varLog = docker ? null : CONTAINER_LOG.exec(name);
  if (docker || varLog) {
    const [namespace, pod, container, uid] = docker ? [docker[3]!, docker[2]!, docker[1]!, docker[4]!] : [varLog![2]!, varLog![1]!, varLog![3]!, undefined];
    // The pause container (`k8s_POD_...`) writes nothing of its own: not a component.
    source.hints = container === 'POD' ? { ...hints, pod: podHint(namespace, pod, container, uid), component: 'other' } : withComponent({ ...hints, pod: podHint(namespace, pod, container, uid) }, container);
    if (varLog) source.containerId = varLog[4]!;
    const { stem, age } = splitRotation(name);
    source.group = join(dirname(f.abs), stem);
    entry.age = age;
    return entry;
  }

  // A kind node's journald exports.
  if (nodeLevel) {
    const { stem } = splitRotation(name);
    if (stem === 'kubelet.log' || stem === 'journal.log' || stem === 'containerd.log') {
      if (stem === 'kubelet.log') source.hints = { ...hints, component: 'kubelet' };
      if (stem === 'containerd.log') source.hints = { ...hints, component: 'other' };
      // journal.log mixes every unit: the journald identifier on each line decides.
      source.group = join(dirname(f.abs), stem);
      entry.age = splitRotation(name).age;
      return entry;
    }
  }

  // must-gather
  const ns = mustGatherIndex(segs);
  if (ns >= 0 || segs.includes('cluster-scoped-resources')) {
    // namespaces/<ns>/pods/<pod>/<container>/<container>/logs/<current|previous>.log
    if (ns >= 0 && n === ns + 8 && segs[ns + 2] === 'pods' && segs[ns + 6] === 'logs') {
      const m = /^(current|previous)\.log(?:\.gz)?$/.exec(name);
      if (m) {
        const container = segs[ns + 4]!;
        const namespace = segs[ns + 1]!;
        source.hints = { ...hints, pod: podHint(namespace, segs[ns + 3]!, container) };
        // A must-gather holds every pod of the cluster: a container that is not a cluster
        // component by name is an operator, a sidecar or an application ('other'), so that its
        // klog lines are not taken for the component whose code they call.
        source.hints.component = OPENSHIFT_CONTAINERS.get(`${namespace}/${container}`) ?? componentFromName(container) ?? 'other';
        source.group = dirname(f.abs);
        entry.age = { instance: m[1] === 'current' ? 1 : 0, live: true, num: 0, stamp: '' };
        return entry;
      }
    }
    if (ns >= 0 && n === ns + 4 && segs[ns + 2] === 'core' && name === 'events.yaml') {
      source.hints = { ...hints, component: 'event' };
      return entry;
    }
    if (/\.ya?ml$/i.test(name)) {
      source.setAside = 'not a log (resource dump)';
      return entry;
    }
  }

  if (f.inMustGather) {
    // host_service_logs/<role>/<unit>_service.log: journalctl -u <unit> of every node of the
    // role, one `-- Logs begin at` line per node and then the nodes' lines merged in time order
    // (not one node after another: the file is not cut at those lines). The hostname field on
    // each line names its node; the journald identifier names the writer (the kubelet runs as
    // hyperkube).
    const hs = segs.lastIndexOf('host_service_logs');
    // The unit names the writer of lines whose identifier does not (hyperkube runs the kubelet).
    if (hs >= 0 && n === hs + 3 && /_service\.log$/.test(name)) {
      source.hints = withComponent(hints, name.replace(/_service\.log$/, ''));
      return entry;
    }
    // Everything else a must-gather holds beside its logs is state, not lines: resource dumps
    // (YAML, JSON), etcd_info, the apiserver's priority-and-fairness dumps, haproxy.config,
    // the `timestamp` and `version` files. Logs elsewhere in it end in .log (or .log.gz).
    if (!/\.log(?:\.gz)?$/i.test(name)) {
      source.setAside = 'not a log (must-gather state dump)';
      return entry;
    }
  }

  const byName = notALogByName(name);
  if (byName) {
    source.setAside = byName;
    return entry;
  }

  // Documentation that travels with captured logs (a bundle's README, SOURCES.md): prose, not lines
  // any component wrote.
  if (/\.(md|markdown|rst|adoc)$/i.test(name) || /^(README|LICENSE|NOTICE)(\..*)?$/.test(name)) {
    source.setAside = 'not a log (documentation)';
    return entry;
  }

  // Anything else: the name may say which component wrote it.
  const { stem, age } = splitRotation(name);
  source.hints = withComponent(hints, nameStem(name));
  source.group = join(dirname(f.abs), stem);
  entry.age = age;
  return entry;
}

// ---------------------------------------------------------------------------------------------
// Putting it together

/** containers/ files whose pods/ twin was found are set aside (the pods/ path also gives the UID). */
function setAsideTwins(entries: Entry[]): void {
  const podsByKey = new Map<string, Entry[]>();
  for (const e of entries) {
    if (e.twinKey && !e.fromContainers) {
      const list = podsByKey.get(e.twinKey) ?? [];
      list.push(e);
      podsByKey.set(e.twinKey, list);
    }
  }
  for (const e of entries) {
    if (!e.fromContainers || e.source.setAside || !e.twinKey) continue;
    const twins = podsByKey.get(e.twinKey);
    if (!twins) continue;
    const newest = [...twins].sort((a, b) => compareAge(a.age!, b.age!))[0]!;
    e.source.setAside = `duplicate of ${newest.source.display}`;
  }
}

/** Ranks each group's files, newest first (see SourceFile.rotation). */
function assignRotations(entries: Entry[]): void {
  const groups = new Map<string, Entry[]>();
  for (const e of entries) {
    if (e.source.setAside || !e.source.group || !e.age) continue;
    const list = groups.get(e.source.group) ?? [];
    list.push(e);
    groups.set(e.source.group, list);
  }
  for (const members of groups.values()) {
    members.sort((a, b) => compareAge(a.age!, b.age!));
    const offset = members[0]!.age!.live ? 0 : 1;
    members.forEach((e, i) => (e.source.rotation = i + offset));
  }
}

/** kubelet.log and containerd.log are extracts of the node's journal.log. */
function noteJournalExtracts(entries: Entry[]): void {
  const journals = new Map<string, string>();
  for (const e of entries) {
    const s = e.source;
    if (s.nodeDir && !s.setAside && basename(s.path) === 'journal.log' && dirname(s.path) === s.nodeDir) {
      journals.set(s.nodeDir, s.path);
    }
  }
  for (const e of entries) {
    const s = e.source;
    const name = basename(s.path);
    if (s.nodeDir && dirname(s.path) === s.nodeDir && (name === 'kubelet.log' || name === 'containerd.log')) {
      const journal = journals.get(s.nodeDir);
      if (journal) s.alsoIn = journal;
    }
  }
}

/** The first line of a sniffed head, decoded. */
function firstLineOf(head: HeadSniff): string {
  const text = new TextDecoder(head.encoding).decode(head.bytes);
  const end = text.indexOf('\n');
  return end >= 0 ? text.slice(0, end) : text;
}

/** Control bytes text logs do have: tab, newlines, form feed, backspace, ESC (colours). */
const TEXT_CONTROLS = new Set([0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1b]);

/**
 * Where the first 4 KiB show binary content (the first NUL byte's offset), or -1.
 *
 * A NUL alone does not make a file binary: a crash or a preallocating writer leaves runs of zero
 * fill in a text log, often at its very start, and the framing takes NULs out of the lines it
 * reads (framing.ts), counting them. Binary is a NUL together with the other control bytes text
 * has not (ELF, SQLite, core dumps, archives all have them), or NULs between single bytes (UTF-16
 * without a BOM). UTF-16 with a BOM: a NUL code unit past a leading run of them.
 */
function binaryAt(head: HeadSniff): number {
  const b = head.bytes;
  if (head.encoding !== 'utf-8') {
    let i = 2;
    while (i + 1 < b.length && b[i] === 0 && b[i + 1] === 0) i += 2;
    for (; i + 1 < b.length; i += 2) if (b[i] === 0 && b[i + 1] === 0) return i;
    return -1;
  }
  const first = b.indexOf(0);
  if (first < 0) return -1;
  let shortRuns = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0) {
      let end = i;
      while (end < b.length && b[end] === 0) end++;
      if (end - i <= 2 && i > 0 && end < b.length && ++shortRuns >= 4) return first;
      i = end - 1;
    } else if ((c < 0x20 && !TEXT_CONTROLS.has(c)) || c === 0x7f) {
      return first;
    }
  }
  return -1;
}

/**
 * The sources behind `paths` (files, directories, bundles), in a stable order: the paths in the
 * order given, each directory walked in name order. Set-aside files are listed too (with
 * `setAside`), so that the summary can account for them. A path that cannot be read is reported
 * through `diag` (`ktrail: <path>: <cause>`) and the others are still processed.
 */
export async function discoverSources(paths: string[], diag: Diagnostics, fs: DiscoveryFs = nodeFs): Promise<SourceFile[]> {
  const walker = new Walker(fs, diag);
  const clusters: string[] = [];
  for (const given of paths) {
    const prefix = paths.length > 1 ? `${given.replace(/\/+$/, '')}/` : '';
    const before = walker.found.length;
    await walker.add(given, prefix);
    const cluster = await clusterNameOf({ given, root: walker.root });
    for (let i = before; i < walker.found.length; i++) clusters.push(cluster);
  }
  const entries = walker.found.map(classify);
  entries.forEach((e, i) => {
    if (clusters[i]) e.source.cluster = clusters[i];
  });
  setAsideTwins(entries);

  // The same file reached twice (named twice, or through a link): read once, preferably where it
  // really is (its own path says more than a link's: pods/ gives the UID), else where first met.
  const readerOf = new Map<string, Entry>();
  for (const e of entries) {
    if (e.source.setAside) continue;
    const chosen = readerOf.get(e.real);
    if (!chosen || (chosen.source.path !== e.real && e.source.path === e.real)) readerOf.set(e.real, e);
  }
  const kept: Entry[] = [];
  for (const e of entries) {
    const reader = readerOf.get(e.real);
    if (!e.source.setAside && reader && reader !== e) e.source.setAside = `duplicate of ${reader.source.display}`;
    if (!e.source.setAside && !e.special) {
      try {
        const head = await fs.readHead(e.source.path, SNIFF_BYTES);
        const nul = binaryAt(head);
        if (nul >= 0) e.source.setAside = `binary (NUL byte at offset ${nul}${head.gzip ? ' after gunzip' : ''})`;
        else {
          const reason = notALogByContent(firstLineOf(head));
          if (reason) e.source.setAside = reason;
        }
      } catch (err) {
        diag.warn(e.source.display, describeError(err));
        continue;
      }
    }
    kept.push(e);
  }
  for (const e of kept) if (e.source.setAside) delete e.source.group; // not read: in no stream
  assignRotations(kept);
  noteJournalExtracts(kept);
  return kept.map((e) => e.source);
}

/**
 * The Kubernetes version a kind bundle records (`kubernetes-version.txt`, "v1.32.2"), looked for
 * in `dir` (a node folder) and, when `dir` is a bundle root, in its node folders. Undefined when
 * absent or not a version.
 */
export async function readKubernetesVersion(dir: string): Promise<string | undefined> {
  const candidates = [join(dir, 'kubernetes-version.txt')];
  try {
    const entries = (await fsp.readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).sort(byName);
    for (const e of entries) candidates.push(join(dir, e.name, 'kubernetes-version.txt'));
  } catch {
    return undefined;
  }
  for (const file of candidates) {
    let text: string;
    try {
      const fh = await fsp.open(file, 'r');
      try {
        const buf = Buffer.alloc(256); // a version string; never read a big file by mistake
        const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
        text = buf.toString('utf8', 0, bytesRead);
      } finally {
        await fh.close();
      }
    } catch {
      continue;
    }
    const version = text.trim().split('\n')[0]!.trim();
    if (/^v?\d+\.\d+(\.\d+)?([-+][\w.+-]*)?$/.test(version)) return version;
  }
  return undefined;
}

