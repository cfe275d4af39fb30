/**
 * What names an object in the store: its row id, the cluster it belongs to, and its UID and
 * kind/namespace/name as far as the logs told them. Shared by the stored object, a linked object
 * and the correlator's write; in a module of its own because correlation.ts cannot import the
 * store interface (store.ts imports it).
 */
export interface ObjectIdentity {
  id: number;
  /** The cluster of the events that name it. */
  cluster: string;
  uid: string | null;
  kind: string;
  namespace: string | null;
  name: string | null;
}
