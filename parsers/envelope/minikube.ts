/**
 * `minikube logs` output: one file holding every component's log in sections headed
 * `==> NAME [containerID] <==` (containers) or `==> NAME <==` (everything else), each followed by
 * two blank lines. Read per section (checked against a real capture, minikube v1.36):
 *
 * - `Audit`, `container status`, `describe nodes`, `kernel`: tables and reports (minikube's
 *   command history, `crictl ps -a`, `kubectl describe nodes`, and `uptime` + `uname -a` +
 *   os-release), not logs: every line is meta. `kernel` is listed among the 'other' writers in
 *   component-names.ts, but its three lines are a status report with no event in them.
 *   The Audit table's `11 Aug 25 09:39 UTC` dates give the year, used as the reference for the
 *   sections after it (journald short lines have none).
 * - `Last Start`: minikube's own klog file (lastStart.txt): its four header lines (`Log file
 *   created at: 2025/08/11 10:05:04`, `Running on machine:`, `Binary:`, `Log line format:`) are
 *   meta (the first one also gives the year), the rest bare klog lines of the minikube CLI: 'other'.
 * - `Docker`: the runtime's journal (`journalctl -u docker -u cri-docker`) in journald short form:
 *   dockerd, cri-dockerd and systemd lines, each named by its own journald identifier.
 * - `kubelet`: `journalctl -u kubelet` in journald short form; kubelet's lines are 'kubelet' by
 *   their identifier, systemd's lines about the unit are 'other'.
 * - `dmesg`: the kernel ring buffer with relative times (`[  +0.008550] ...`): bare lines, 'other'.
 * - container sections (etcd, kube-apiserver, coredns, storage-provisioner...): the container's
 *   log as `docker logs` prints it, bare (or with timestamps): component from the section name.
 *
 * Which envelope a section has is not assumed from its name but detected from its first lines
 * (the names above say what a capture showed, not what every minikube version prints), and the
 * lines are handed to a reader of that envelope created per section. Its records get the
 * section's hints (component from the name, identifier = the name) under whatever the inner
 * envelope says itself: a journald line's own identifier (`dockerd`, `kubelet`) is more exact
 * than the section's name.
 */
import type { EnvelopeContext, EnvelopeParser, EnvelopeReader, EnvelopeRecord, Line, SourceHints } from '../types.js';
import { componentFromName } from './component-names.js';
import { DetectingReader } from './nested.js';
import { bareRecord, mergeHints, metaRecord } from './records.js';

// This envelope's name, added to EnvelopeName (parsers/types.ts, EnvelopeNames).
declare module '../types.js' {
  interface EnvelopeNames {
    minikube: true;
  }
}

export interface MinikubeHeader {
  name: string;
  /** The container ID of a container section. */
  id?: string;
}

/** Reads `==> NAME [id] <==` or `==> NAME <==`, or undefined. */
export function readMinikubeHeader(text: string): MinikubeHeader | undefined {
  if (text.length > 300 || !text.startsWith('==> ') || !text.endsWith(' <==')) return undefined;
  const inner = text.slice(4, -4).trim();
  if (!inner) return undefined;
  if (inner.endsWith(']')) {
    const open = inner.lastIndexOf(' [');
    if (open > 0) {
      const id = inner.slice(open + 2, -1);
      if (/^[0-9a-f]{1,64}$/i.test(id)) return { name: inner.slice(0, open).trim(), id };
    }
  }
  return { name: inner };
}

/** Sections that are tables or reports rather than logs: set aside whole. */
const REPORT_SECTIONS = new Set(['audit', 'container status', 'describe nodes', 'kernel']);

/** The klog file header that lastStart.txt begins with. */
const KLOG_FILE_HEADER = ['Log file created at: ', 'Running on machine: ', 'Binary: ', 'Log line format: '];

const AUDIT_DATE = /\b(\d{1,2}) ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}) UTC\b/g;
const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';
const CREATED_AT = /^Log file created at: (\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})/;

/** The latest `11 Aug 25 09:39 UTC` in an Audit table row, epoch microseconds. */
function latestAuditDate(text: string): number | undefined {
  let latest: number | undefined;
  AUDIT_DATE.lastIndex = 0;
  for (let m = AUDIT_DATE.exec(text); m; m = AUDIT_DATE.exec(text)) {
    const month = MONTHS.indexOf(m[2]!);
    if (month < 0 || month % 3 !== 0) continue;
    const ms = Date.UTC(2000 + Number(m[3]), month / 3, Number(m[1]), Number(m[4]), Number(m[5]));
    if (!Number.isNaN(ms) && (latest === undefined || ms * 1000 > latest)) latest = ms * 1000;
  }
  return latest;
}

type SectionKind = 'audit' | 'report' | 'last-start' | 'log';

interface Section {
  kind: SectionKind;
  hints: SourceHints;
  /** Created at the section's first log line, so that the reference time is the latest known. */
  reader?: EnvelopeReader;
}

class MinikubeReader implements EnvelopeReader {
  private readonly placeHints: SourceHints;
  private section: Section;
  /** The year reference for sections without one: the latest date minikube printed so far. */
  private reference: number | undefined;

  constructor(
    private readonly ctx: EnvelopeContext,
    private readonly nested: readonly EnvelopeParser[],
  ) {
    this.placeHints = mergeHints(ctx.hints, {});
    // Lines before the first header (a warning minikube printed first) are read like a section.
    this.section = { kind: 'log', hints: this.placeHints };
  }

  push(line: Line): EnvelopeRecord[] {
    const text = line.text;
    const header = text.charCodeAt(0) === 61 ? readMinikubeHeader(text) : undefined; // '='
    if (header) {
      const out = this.closeSection();
      this.section = this.openSection(header.name);
      out.push(metaRecord(line, this.section.hints));
      return out;
    }
    const section = this.section;
    if (section.kind === 'audit') {
      const date = latestAuditDate(text);
      if (date !== undefined && (this.reference === undefined || date > this.reference)) this.reference = date;
      return [metaRecord(line, section.hints)];
    }
    if (section.kind === 'report') return [metaRecord(line, section.hints)];
    if (section.kind === 'last-start' && KLOG_FILE_HEADER.some((p) => text.startsWith(p))) {
      const m = CREATED_AT.exec(text);
      if (m) {
        const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
        if (!Number.isNaN(ms)) this.reference = ms * 1000;
      }
      return [metaRecord(line, section.hints)];
    }
    if (!section.reader) {
      // A blank line before a section's first log line needs no reader (the assembler sets it aside).
      if (text.trim() === '') return [bareRecord(line, section.hints)];
      section.reader = new DetectingReader(this.nested, {
        file: this.ctx.file,
        hints: section.hints,
        referenceTime: this.reference ?? this.ctx.referenceTime,
      });
    }
    return section.reader.push(line);
  }

  end(): EnvelopeRecord[] {
    return this.closeSection();
  }

  private closeSection(): EnvelopeRecord[] {
    const reader = this.section.reader;
    this.section.reader = undefined;
    return reader ? reader.end() : [];
  }

  private openSection(name: string): Section {
    const lower = name.toLowerCase();
    const own: SourceHints = { identifier: name, component: componentFromName(name) ?? 'other' };
    const hints = mergeHints(this.ctx.hints, own);
    if (lower === 'audit') return { kind: 'audit', hints };
    if (REPORT_SECTIONS.has(lower)) return { kind: 'report', hints };
    if (lower === 'last start') return { kind: 'last-start', hints };
    return { kind: 'log', hints };
  }
}

/**
 * The minikube envelope, whose sections are read with one of `nested` (the registry's nestable
 * envelopes: parsers/envelope/index.ts builds it, since this module cannot import the registry).
 */
export const minikubeEnvelopeOver = (nested: readonly EnvelopeParser[]): EnvelopeParser => ({
  name: 'minikube',
  /**
   * Section headers are rare (a few per hundred lines) but unmistakable, and a dump begins with
   * one: then every sample line belongs to minikube's output and the score is the sample's size,
   * so that the envelope of the first section (journald, CRI...) cannot outscore the dump.
   * Otherwise (a cut dump) each header line counts.
   */
  score(sample: string[]): number {
    let headers = 0;
    for (const line of sample) if (line.charCodeAt(0) === 61 && readMinikubeHeader(line)) headers++;
    if (headers > 0 && sample.length > 0 && readMinikubeHeader(sample[0]!)) return sample.length;
    return headers;
  },
  create: (ctx) => new MinikubeReader(ctx, nested),
});
