/**
 * etcd-election: a step of a raft election on one member (pre-vote, campaign, votes, a member
 * becoming leader or follower, a higher term seen, a leadership transfer), from the raft facts
 * the etcd parsers put in fields. Facts: `step` (the raft fact), `member`, `term`, and `leader`
 * when the step names one (`X became leader at term N`, `X elected leader L at term N`).
 */
import { num, str, type Facts, type Signal } from './types.js';

const STEPS = new Set([
  'starting-election',
  'became-pre-candidate',
  'became-candidate',
  'became-leader',
  'became-follower',
  'elected-leader',
  'higher-term',
  'cast-vote',
  'prevote-response',
  'vote-response',
  'transfer-leadership',
]);

export const etcdElection: Signal = {
  name: 'etcd-election',
  components: ['etcd'],
  describe: 'a raft election step on an etcd member (campaign, vote, became leader/follower, transfer)',
  match(e): Facts | undefined {
    const step = e.component === 'etcd' ? str(e.fields['raft']) : undefined;
    if (!step || !STEPS.has(step)) return undefined;
    const out: Facts = { step };
    const member = str(e.fields['member']);
    const term = num(e.fields['term']);
    const leader = step === 'became-leader' || step === 'elected-leader' ? str(e.fields['leader']) : undefined;
    const to = step === 'transfer-leadership' ? str(e.fields['to']) : undefined;
    if (member) out['member'] = member;
    if (term !== undefined) out['term'] = term;
    if (leader) out['leader'] = leader;
    if (to) out['to'] = to;
    return out;
  },
};
