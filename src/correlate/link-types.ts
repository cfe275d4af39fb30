/**
 * Types shared by the linker (link.ts) and its helpers (dns-clients.ts, inferred.ts, owners.ts).
 * They live here, not in link.ts, so that the helpers need not import the module that imports
 * them (no import cycle, not even a type-only one).
 */

/** An object as the linker knows it: one UID (or one name when no UID was ever seen). */
export interface LinkedObj {
  id: number;
  uid: string | null;
  kind: string;
  namespace: string | null;
  name: string | null;
  first: number;
  last: number;
  deleted: number | null;
}

/** What the helpers ask of the linker's object index (link.ts's ObjectIndex implements it). */
export interface ObjectLookup {
  readonly byUid: ReadonlyMap<string, LinkedObj>;
  readonly all: readonly LinkedObj[];
  /** The object a kind/namespace/name meant at `time` (names are reused), and how sure that is. */
  resolveName(kind: string, namespace: string | null, name: string, time: number): { obj: LinkedObj; via: string; confidence: number };
}

/** Records that an event is about an object. */
export type LinkFn = (eventId: number, obj: LinkedObj, via: string, confidence: number) => void;
