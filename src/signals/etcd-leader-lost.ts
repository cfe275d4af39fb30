/**
 * etcd-leader-lost: an etcd member says the leader it followed is gone, from the raft facts
 * parsers/payload/etcd-common.ts puts in fields: `raft.node: X lost leader L at term N`
 * (`raft` = lost-leader) or `raft.node: X changed leader from L to M at term N` (changed-leader;
 * raft logs it only when there was a leader before, so bootstrap's first election never matches).
 * Facts as the line states them: `member` (who says it), `lostLeader`, `term`, and `newLeader`
 * when the line names the one that took over.
 */
import { componentSignal, num, presentFacts, str } from './types.js';

export const etcdLeaderLost = componentSignal('etcd-leader-lost', 'etcd', 'an etcd member lost its leader (raft lost leader / changed leader from)', (e) => {
  const raft = e.fields['raft'];
  if (raft !== 'lost-leader' && raft !== 'changed-leader') return undefined;
  return presentFacts({
    member: str(e.fields['member']),
    lostLeader: raft === 'changed-leader' ? str(e.fields['from']) : str(e.fields['leader']),
    term: num(e.fields['term']),
    newLeader: raft === 'changed-leader' ? str(e.fields['to']) : undefined,
  });
});
