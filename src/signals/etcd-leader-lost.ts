/**
 * etcd-leader-lost: an etcd member says the leader it followed is gone, from the raft facts
 * parsers/payload/etcd-common.ts puts in fields: `raft.node: X lost leader L at term N`
 * (`raft` = lost-leader) or `raft.node: X changed leader from L to M at term N` (changed-leader;
 * raft logs it only when there was a leader before, so bootstrap's first election never matches).
 * Facts as the line states them: `member` (who says it), `lostLeader`, `term`, and `newLeader`
 * when the line names the one that took over.
 */
import { num, str, type Facts, type Signal } from './types.js';

export const etcdLeaderLost: Signal = {
  name: 'etcd-leader-lost',
  components: ['etcd'],
  describe: 'an etcd member lost its leader (raft lost leader / changed leader from)',
  match(e): Facts | undefined {
    if (e.component !== 'etcd') return undefined;
    const raft = e.fields['raft'];
    if (raft !== 'lost-leader' && raft !== 'changed-leader') return undefined;
    const lostLeader = raft === 'changed-leader' ? str(e.fields['from']) : str(e.fields['leader']);
    const out: Facts = {};
    const member = str(e.fields['member']);
    const term = num(e.fields['term']);
    if (member) out['member'] = member;
    if (lostLeader) out['lostLeader'] = lostLeader;
    if (term !== undefined) out['term'] = term;
    if (raft === 'changed-leader' && str(e.fields['to'])) out['newLeader'] = str(e.fields['to'])!;
    return out;
  },
};
