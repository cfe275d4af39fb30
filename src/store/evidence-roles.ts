/**
 * The one order of evidence roles, in a module of its own so that the store's writers can use it
 * without importing the store interface (store.ts re-exports it).
 */
export type EvidenceRole = 'trigger' | 'cause' | 'effect' | 'evidence';

/**
 * The one order of evidence everywhere (CLI, TUI, reports): the fault first, then what caused
 * it, what it did, and the rest; in time order within a role.
 */
export const EVIDENCE_ROLES: readonly EvidenceRole[] = ['trigger', 'cause', 'effect', 'evidence'];

export function evidenceRoleRank(role: string): number {
  const i = EVIDENCE_ROLES.indexOf(role as EvidenceRole);
  return i < 0 ? EVIDENCE_ROLES.length : i;
}
