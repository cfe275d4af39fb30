/**
 * node-pressure: a kubelet reports its node short of disk, memory or PIDs (NodeHasDiskPressure,
 * EvictionThresholdMet: Attempting to reclaim ephemeral-storage) and evicts pods to reclaim it
 * (`Evicted: The node was low on resource: ephemeral-storage`). Root: the node; the kubelet's
 * evictions on it in the 10 minutes after are its effects (their own eviction incidents fold
 * into this one, absorb.ts).
 *
 * Threshold: one report: a kubelet says so only past its eviction threshold, and from then its
 * node takes no new pods and loses some of those it has (error).
 */
import { addEvents } from '../candidate.js';
import { MINUTE } from '../group.js';
import { factValues, nodeOf, PER_NODE, leanSignalRunRule, spanText } from './signal-runs.js';

const EFFECTS_AFTER = 10 * MINUTE;

export const nodePressureRule = leanSignalRunRule('node-pressure', 'error', 'a node under disk, memory or PID pressure (NodeHasDiskPressure, EvictionThresholdMet), with the evictions that follow', {
  signals: ['node-pressure'],
  ...PER_NODE,
  gap: 10 * MINUTE,
  qualifies: (run) => run.length > 0,
  finish: (c, run, view) => {
    const node = nodeOf(run[0]!)!;
    const evicted = view
      .signalled(['pod-evicted'], c.start, c.end + EFFECTS_AFTER)
      .filter((e) => e.facts['by'] === 'kubelet' && (e.host === node || (e.host ?? '').startsWith(`${node}.`) || node.startsWith(`${e.host ?? '?'}.`)));
    addEvents(c, evicted, 'effect', false);
    for (const e of evicted) for (const l of view.links(e.id)) if (l.kind === 'Pod') c.affected.add(l.id);
    c.counts['evictions'] = evicted.length;
    c.notes['evictionReasons'] = [...new Set(evicted.map((e) => e.facts['reason']).filter((r) => typeof r === 'string'))];
  },
  summarize: (run, c) => {
    const said = [...factValues(run, 'condition'), ...factValues(run, 'reason').filter((r) => r !== 'EvictionThresholdMet')];
    const reclaim = factValues(run, 'resource');
    const reasons = c.notes['evictionReasons'] as string[];
    const evictions = c.counts['evictions'] ? `; the kubelet evicted ${c.counts['evictions']} pod${c.counts['evictions'] > 1 ? 's' : ''}${reasons.length ? `: ${reasons.join('; ')}` : ''}` : '';
    const span = run.length > 1 ? ` for ${spanText(c.end - c.start)}` : '';
    return `node ${nodeOf(run[0]!)!} under pressure${span}: ${[...new Set(said)].join(', ') || 'eviction threshold met'}${reclaim.length ? `, reclaiming ${reclaim.join(', ')}` : ''}${evictions}`;
  },
});
