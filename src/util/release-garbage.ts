/**
 * Full garbage collections between ingest's long phases (linking, each incident rule), when the
 * heap is large. V8 collects its old generation only when that reaches a limit it sets from the
 * heap it has seen, and each of these phases promotes hundreds of MB that die when it ends (a
 * rule's signals and runs, the linker's pending rows): on the 1M-event bench input the heap grew
 * to 573 MB of which 18 MB were live, and the process peaked at 886 MB RSS; collected between
 * phases, the peak is what one phase needs. A collection of a small live heap costs a few ms, and
 * none is made below WORTH (a small input's whole ingest never gets there).
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Below this much used heap a collection frees too little to matter. */
export const WORTH = 64 * 2 ** 20;

let collect: (() => void) | undefined;

/**
 * V8's own collector: global.gc under `node --expose-gc`, else the one a new context gets once
 * the flag is set (setting it does not add gc to contexts that exist already).
 */
function collector(): () => void {
  if (!collect) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) collect = exposed;
    else {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    }
  }
  return collect;
}

/**
 * The least garbage worth a collection once something is live: a long loop's (the linker's scan
 * of the 1M-event bench input left ~195 MB of promoted garbage over a live heap of 75 MB; 2M: RSS
 * 818 MB at the scan's end).
 */
export const SLACK = 128 * 2 ** 20;

function heapUsed(): number {
  return getHeapStatistics().used_heap_size;
}

/** The used heap right after the last collection made here: what was live then. */
let liveAfterLast = 0;

/**
 * Collects once the used heap is at least WORTH and has grown past what was live at the last
 * collection made here by SLACK, or by half as much as was live, whichever is more (the first: at
 * WORTH); says whether it did. A full collection costs in proportion to what is live, so it is
 * made only when it may free a fair share of that: a fixed slack made one per 128 MB allocated
 * whatever was live, and where a process held a large live heap (the store bench holds its 500k
 * parsed events) the incident rules went from 14 to 44 s of CPU. With as much as was live, the
 * heap could reach twice the live heap (the crash-loop rule at 2M lines: peak RSS 566-572 MB);
 * with half, 1.5 times (507 MB), for ~2 s more of the store bench's rules' CPU (medians of 3 runs
 * each, alternating, load 6-8: 16.6 against 14.3 s; the build before both: 16.4 s) and its peak
 * RSS 1,287-1,444 -> 1,140-1,161 MB. Called between phases and every few thousand rows of long
 * loops.
 */
export function releaseGarbage(usedHeap: () => number = heapUsed, gc: () => () => void = collector): boolean {
  // The first collection at WORTH: nothing is known to be live yet.
  const limit = liveAfterLast === 0 ? WORTH : Math.max(WORTH, liveAfterLast + Math.max(SLACK, liveAfterLast / 2));
  if (usedHeap() < limit) return false;
  collectNow(usedHeap, gc);
  return true;
}

/** Whether a collection was made here since the last phase ended (releasePhaseGarbage). */
let collectedInPhase = false;

function collectNow(usedHeap: () => number, gc: () => () => void): void {
  gc()();
  liveAfterLast = usedHeap();
  collectedInPhase = true;
}

/**
 * releaseGarbage at the end of a phase (linking's steps, each incident rule), when what the phase
 * held has just become garbage. If the phase made a collection itself, the live heap that
 * collection measured was the phase's own (a rule's signals and runs): the next phase's garbage
 * would be measured from it and let grow as large. On the 2M-line bench input the crash-loop rule
 * left ~250 MB as its live figure, and the unschedulable rule after it, with ~20 MB live, grew
 * the process from 623 to 799 MB. So such a phase's end collects whatever the slack, once (it
 * costs what is live, now without the phase's data); a phase that made none ends as
 * releaseGarbage would (the store bench, whose process holds its 500k events, makes few).
 */
export function releasePhaseGarbage(usedHeap: () => number = heapUsed, gc: () => () => void = collector): boolean {
  let collected: boolean;
  if (collectedInPhase && usedHeap() >= WORTH) {
    collectNow(usedHeap, gc);
    collected = true;
  } else {
    collected = releaseGarbage(usedHeap, gc);
  }
  collectedInPhase = false;
  return collected;
}

/**
 * Collects now when the used heap is at least WORTH, whatever the slack: for the end of work whose
 * own data was live at every collection made while it ran, and is all garbage now (the linker's
 * object index, whose sub-phases each end with releasePhaseGarbage). The live figure those
 * collections measured was that data's, so releaseGarbage's slack would let the next phase's
 * garbage pile up on top of it: on the 5M-line bench input the linker ended with 520 MB of heap,
 * its index dead but not collected, under the store's index sorts (the link's peak, 885 MB RSS)
 * and the crash-loop rule after it; collected here, the link's peak was 749 MB. Says whether it
 * collected.
 */
export function releaseDeadData(usedHeap: () => number = heapUsed, gc: () => () => void = collector): boolean {
  const collected = usedHeap() >= WORTH;
  if (collected) collectNow(usedHeap, gc);
  collectedInPhase = false;
  return collected;
}

/** Forgets the last collection's live heap (tests). */
export function resetGarbageBaseline(): void {
  liveAfterLast = 0;
  collectedInPhase = false;
}
