/**
 * What a user means by an object on the command line or in the TUI: `pod/ns/name`, `ns/name`,
 * `node/name`, a bare node name, or a UID. Returns the matching stored objects (several when a
 * name was reused: each UID is its own object).
 */
import type Database from 'better-sqlite3';

export interface StoredObject {
  id: number;
  uid: string | null;
  kind: string;
  namespace: string | null;
  name: string | null;
  first_seen: number | null;
  last_seen: number | null;
  deleted: number | null;
}

const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^[0-9a-f]{32}$/i;
const COLUMNS = 'id, uid, kind, namespace, name, first_seen, last_seen, deleted';

export function describeObject(o: Pick<StoredObject, 'kind' | 'namespace' | 'name' | 'uid'>): string {
  const name = o.namespace ? `${o.namespace}/${o.name ?? '?'}` : (o.name ?? '?');
  return `${o.kind.toLowerCase()}/${name}`;
}

export function resolveObjectRef(db: Database.Database, ref: string): StoredObject[] {
  const text = ref.trim();
  if (UID.test(text)) {
    return db.prepare(`SELECT ${COLUMNS} FROM objects WHERE uid = ?`).all(text.toLowerCase()) as StoredObject[];
  }
  const parts = text.split('/');
  // Two statements rather than one with "(? IS NULL OR namespace = ?)": that form keeps SQLite
  // from using the (kind, namespace, name) index, and a store of millions of pods notices.
  const withNamespace = db.prepare(
    `SELECT ${COLUMNS} FROM objects WHERE kind = ? COLLATE NOCASE AND namespace = ? AND name = ? ORDER BY first_seen`,
  );
  const anyNamespace = db.prepare(
    `SELECT ${COLUMNS} FROM objects INDEXED BY objects_name WHERE name = ? AND kind = ? COLLATE NOCASE ORDER BY first_seen`,
  );
  const byKind = (kind: string, namespace: string | null, name: string): StoredObject[] =>
    (namespace === null ? anyNamespace.all(name, kind) : withNamespace.all(kind, namespace, name)) as StoredObject[];
  if (parts.length === 3) return byKind(parts[0]!, parts[1]!, parts[2]!);
  if (parts.length === 2) {
    // kind/name (cluster-scoped: node/worker-1) or ns/name (a namespaced object of any kind).
    const asKind = byKind(parts[0]!, null, parts[1]!);
    if (asKind.length) return asKind;
    const any = db
      .prepare(`SELECT ${COLUMNS} FROM objects INDEXED BY objects_name WHERE name = ? AND namespace = ? ORDER BY first_seen`)
      .all(parts[1]!, parts[0]!) as StoredObject[];
    // "ns/name" most often means a pod; prefer it when several kinds share the name.
    const pods = any.filter((o) => o.kind === 'Pod');
    return pods.length ? pods : any;
  }
  if (parts.length === 1) return byKind('Node', null, text);
  return [];
}
