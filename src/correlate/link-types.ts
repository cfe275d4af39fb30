/**
 * Types shared by the linker (link.ts) and its helpers (dns-clients.ts, inferred.ts, owners.ts).
 * They live here, not in link.ts, so that the helpers need not import the module that imports
 * them (no import cycle, not even a type-only one).
 */
import type { ObjectWrite } from '../store/correlation.js';

/**
 * An object as the linker knows it: one UID (or one name when no UID was ever seen). It is the
 * shape the store writes, so the linker's objects go to the store as they are.
 */
export type LinkedObj = ObjectWrite;

/** What the helpers ask of the linker's object index (link.ts's ObjectIndex implements it). */
export interface ObjectLookup {
  readonly byUid: ReadonlyMap<string, LinkedObj>;
  readonly all: readonly LinkedObj[];
  /** The object a kind/namespace/name meant at `time` (names are reused), and how sure that is. */
  resolveName(kind: string, namespace: string | null, name: string, time: number): { obj: LinkedObj; via: string; confidence: number };
}

/** Records that an event (at its time, which the link keeps) is about an object. */
export type LinkFn = (eventId: number, time: number, obj: LinkedObj, via: string, confidence: number) => void;
