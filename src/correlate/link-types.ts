/**
 * Types shared by the linker (link.ts) and its helpers (dns-clients.ts, inferred.ts, owners.ts).
 * They live here, not in link.ts, so that the helpers need not import the module that imports
 * them (no import cycle, not even a type-only one).
 */
import type { ObjectWrite } from '../store/correlation.js';

/**
 * An object as the linker knows it, in the shape the store writes: one UID (or one name when no
 * UID was ever seen). The linker holds its objects as columns and makes this only to write one.
 */
export type LinkedObj = ObjectWrite;

/**
 * What the helpers ask of the linker's object index (link.ts's ObjectIndex implements it). Objects
 * are their ids: the index holds no object per object (1.25M on a 5M-event store).
 */
export interface ObjectLookup {
  /** The object of a UID. */
  byUid(uid: string): number | undefined;
  /** Every object's id, in the order they were made. */
  ids(): Iterable<number>;
  kind(id: number): string;
  namespace(id: number): string | null;
  name(id: number): string | null;
  /** The first and last time the object was seen (microseconds). */
  first(id: number): number;
  last(id: number): number;
  /** The object a kind/namespace/name meant at `time` (names are reused), and how sure that is. */
  resolveName(kind: string, namespace: string | null, name: string, time: number): { id: number; via: string; confidence: number };
}

/** Records that an event (at its time, which the link keeps) is about an object (its id). */
export type LinkFn = (eventId: number, time: number, objectId: number, via: string, confidence: number) => void;
