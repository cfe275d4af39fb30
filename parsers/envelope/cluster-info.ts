/**
 * `kubectl cluster-info dump` to stdout: JSON object lists (NodeList, then per namespace
 * EventList, ReplicationControllerList, ServiceList, DaemonSetList, DeploymentList,
 * ReplicaSetList, PodList), and after each namespace's PodList one block per container:
 *
 *   ==== START logs for container coredns of pod kube-system/coredns-6d4b75cb6d-gr6m2 ====
 *   <the container's log, as `kubectl logs` prints it>
 *   ==== END logs for container coredns of pod kube-system/coredns-6d4b75cb6d-gr6m2 ====
 *
 * The JSON and the markers are meta; the block's lines are records of that pod and container,
 * read with the envelope detected from the block's first lines (bare, or timestamped).
 */
import type { EnvelopeContext, EnvelopeParser, EnvelopeReader, EnvelopeRecord, Line, SourceHints } from '../types.js';
import { componentFromName } from './component-names.js';
import { DetectingReader } from './nested.js';
import { mergeHints, metaRecord } from './records.js';

// This envelope's name, added to EnvelopeName (parsers/types.ts, EnvelopeNames).
declare module '../types.js' {
  interface EnvelopeNames {
    'cluster-info': true;
  }
}

export interface BlockMarker {
  end: boolean;
  container: string;
  namespace: string;
  pod: string;
}

const MARKER = /^==== (START|END) logs for container (\S{1,253}) of pod ([^\s/]{1,253})\/(\S{1,253}) ====$/;

/** Reads a START/END marker line, or undefined. */
export function readBlockMarker(text: string): BlockMarker | undefined {
  if (text.length > 900 || !text.startsWith('==== ')) return undefined;
  const m = MARKER.exec(text);
  if (!m) return undefined;
  return { end: m[1] === 'END', container: m[2]!, namespace: m[3]!, pod: m[4]! };
}

/** The second line of a `kubectl cluster-info dump`: its first list is the NodeList. */
const NODE_LIST_KIND = /^\s*"kind": ?"NodeList",?$/;

class ClusterInfoReader implements EnvelopeReader {
  private readonly placeHints: SourceHints;
  private block: DetectingReader | undefined;

  constructor(
    private readonly ctx: EnvelopeContext,
    private readonly nested: readonly EnvelopeParser[],
  ) {
    this.placeHints = mergeHints(ctx.hints, {});
  }

  push(line: Line): EnvelopeRecord[] {
    const marker = line.text.charCodeAt(0) === 61 ? readBlockMarker(line.text) : undefined; // '='
    if (marker) {
      // An END closes the open block; a START without the previous END closes it too.
      const out = this.block ? this.block.end() : [];
      this.block = undefined;
      if (marker.end) {
        out.push(metaRecord(line, this.placeHints));
        return out;
      }
      const own: SourceHints = {
        pod: { namespace: marker.namespace, name: marker.pod, container: marker.container },
      };
      const component = componentFromName(marker.container) ?? componentFromName(marker.pod);
      if (component) own.component = component;
      const hints = mergeHints(this.ctx.hints, own);
      out.push(metaRecord(line, hints));
      this.block = new DetectingReader(this.nested, {
        file: this.ctx.file,
        hints,
        referenceTime: this.ctx.referenceTime,
      });
      return out;
    }
    if (this.block) return this.block.push(line);
    // The JSON lists between blocks: their events are the document parsers' business.
    return [metaRecord(line, this.placeHints)];
  }

  end(): EnvelopeRecord[] {
    const out = this.block ? this.block.end() : [];
    this.block = undefined;
    return out;
  }
}

/**
 * The cluster-info envelope, whose blocks are read with one of `nested` (the registry's nestable
 * envelopes: parsers/envelope/index.ts builds it, since this module cannot import the registry).
 */
export const clusterInfoEnvelopeOver = (nested: readonly EnvelopeParser[]): EnvelopeParser => ({
  name: 'cluster-info',
  /**
   * Each START/END marker counts; a dump that begins with its NodeList (`{` then
   * `"kind": "NodeList"`) counts whole, since the first 50 lines of a dump are all JSON.
   */
  score(sample: string[]): number {
    let n = 0;
    for (const line of sample) if (line.charCodeAt(0) === 61 && readBlockMarker(line)) n++;
    if (sample.length >= 2 && sample[0]!.trim() === '{' && NODE_LIST_KIND.test(sample[1]!)) return sample.length;
    return n;
  },
  create: (ctx) => new ClusterInfoReader(ctx, nested),
});
