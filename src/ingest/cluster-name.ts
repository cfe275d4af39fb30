/**
 * The cluster an input belongs to when `--cluster` does not say (ingest's label, and what the
 * events of a read carry): the bundle's own name where it has one, else the input's base name.
 *
 * - a `kind export logs` bundle: the `io.x-k8s.kind.cluster` label of a node's inspect.json
 *   (docker inspect of the node container), else the prefix of its node folders
 *   (`<name>-control-plane`, `<name>-worker2`);
 * - an OpenShift must-gather: the infrastructure name (`status.infrastructureName` of
 *   cluster-scoped-resources/config.openshift.io/infrastructures/cluster.yaml, the name its cloud
 *   resources carry), else the cluster ID of clusterversions/version.yaml;
 * - any other folder, and an archive: its base name (an archive's without .tar.gz, .zip...);
 * - a file given by name, and stdin: '' (no name: the store's rows of such input have the
 *   empty cluster, and a read of it shows no cluster).
 *
 * Reading is bounded (a name file is small; a bigger one is not what it claims) and never fails:
 * a file that is unreadable or not what it should be only means the next rule applies.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** Name files read at most this much. */
const MAX_NAME_FILE = 1024 * 1024;

/** What an input named on the command line is, for naming it. */
export interface NamedInput {
  /** The path as given ('-' for stdin). */
  given: string;
  /** The folder walked for it: the folder itself, or an archive's extracted root; none for a file. */
  root?: string;
}

async function readSmall(path: string): Promise<string | undefined> {
  try {
    const st = await stat(path);
    if (!st.isFile() || st.size > MAX_NAME_FILE) return undefined;
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** The one entry of a folder when it is a folder. */
async function soleFolder(dir: string): Promise<string | undefined> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.length === 1 && entries[0]!.isDirectory() ? join(dir, entries[0]!.name) : undefined;
  } catch {
    return undefined;
  }
}

/** A kind node folder's name: `<cluster>-control-plane`, `-control-plane2`, `-worker`, `-worker3`. */
const KIND_NODE = /^(.+)-(?:control-plane|worker|external-load-balancer)\d*$/;

/** The kind cluster of a bundle root (or of a node folder given by itself), if it is one. */
export async function kindClusterName(dir: string): Promise<string | undefined> {
  const isRoot = (await readSmall(join(dir, 'kind-version.txt'))) !== undefined;
  const nodes = isRoot ? (await subfolders(dir)).map((n) => join(dir, n)) : [dir];
  for (const node of nodes) {
    const inspect = await readSmall(join(node, 'inspect.json'));
    const label = inspect === undefined ? undefined : kindLabel(inspect);
    if (label) return label;
  }
  // Folder names alone only inside a bundle: elsewhere "x-worker" is just a folder's name.
  if (!isRoot) return undefined;
  for (const node of nodes) {
    const m = KIND_NODE.exec(basename(node));
    if (m) return m[1];
  }
  return undefined;
}

/** The io.x-k8s.kind.cluster label of `docker inspect` output (an array of containers). */
export function kindLabel(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  for (const c of Array.isArray(parsed) ? parsed : [parsed]) {
    const labels = (c as { Config?: { Labels?: Record<string, unknown> } } | null)?.Config?.Labels;
    const name = labels?.['io.x-k8s.kind.cluster'];
    if (typeof name === 'string' && name !== '') return name;
  }
  return undefined;
}

const MG_CONFIG = ['cluster-scoped-resources', 'config.openshift.io'];

/** The name a must-gather records: infrastructureName, else the cluster ID. */
export async function mustGatherClusterName(dir: string): Promise<string | undefined> {
  // The gather's own folder (one per image) sits under the folder the user names, or is it.
  const tops = [dir, ...(await subfolders(dir)).map((d) => join(dir, d))];
  for (const top of tops) {
    const infra = await readSmall(join(top, ...MG_CONFIG, 'infrastructures', 'cluster.yaml'));
    const name = infra === undefined ? undefined : await yamlString(infra, ['status', 'infrastructureName']);
    if (name) return name;
  }
  for (const top of tops) {
    const version = await readSmall(join(top, ...MG_CONFIG, 'clusterversions', 'version.yaml'));
    const id = version === undefined ? undefined : await yamlString(version, ['spec', 'clusterID']);
    if (id) return id;
  }
  return undefined;
}

async function yamlString(text: string, path: readonly string[]): Promise<string | undefined> {
  // yaml is loaded only for a must-gather's files: reading a plain log does not pay for it.
  const { parse: parseYaml } = await import('yaml');
  let v: unknown;
  try {
    v = parseYaml(text);
  } catch {
    return undefined;
  }
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

const ARCHIVE_SUFFIX = /\.(?:tar\.gz|tgz|tar\.xz|txz|tar\.zst|tzst|tar|zip)$/i;

/** The cluster an input belongs to (see the header). */
export async function clusterNameOf(input: NamedInput): Promise<string> {
  if (input.root === undefined) return '';
  // An archive often holds one folder with the bundle in it.
  const only = await soleFolder(input.root);
  for (const dir of only === undefined ? [input.root] : [input.root, only]) {
    const named = (await kindClusterName(dir)) ?? (await mustGatherClusterName(dir));
    if (named) return named;
  }
  const base = basename(input.given.replace(/\/+$/, '')).replace(ARCHIVE_SUFFIX, '');
  return base === '.' || base === '..' || base === '' ? basename(input.root) : base;
}
