/**
 * Where each component's lines go, with the envelope the collector adds: a CRI container log (the
 * same bytes under pods/ and containers/, `P` records for lines over containerd's 16 KiB limit) or
 * the node's journal (journal.log, plus kubelet.log / containerd.log for their units). Channels
 * also keep each file's time monotonic: a line is never stamped before the previous one.
 */
import type { LogFile, Output, RotationPolicy } from './io/output.js';
import { journalTime, rfc3339Nano, rotationStamp } from './format/time.js';
import type { Rng } from './rng.js';

/** containerd's max_container_log_line_size: longer lines are split into P records. */
export const CRI_MAX_LINE = 16384;

export interface Channel {
  /** Local (skewed) time for a line due at true time t, never before the file's last line. */
  claim(t: number): number;
  put(local: number, text: string, objects: readonly string[], incident: string | null): void;
}

export class CriChannel implements Channel {
  readonly file: LogFile;
  private last = 0;

  constructor(
    out: Output,
    rel: string,
    twinRel: string,
    rotation: RotationPolicy | undefined,
    private skew: number,
    private rng: Rng,
    private stream: 'stdout' | 'stderr',
  ) {
    this.file = out.file(rel, twinRel, rotation);
  }

  claim(t: number): number {
    // A little jitter: real lines never share their sub-millisecond digits.
    const local = Math.max(Math.floor(t + this.skew) + this.rng.int(200), this.last + 1);
    this.last = local;
    return local;
  }

  put(local: number, text: string, objects: readonly string[], incident: string | null): void {
    // containerd stamps the record when it reads the line: a little after the payload's own time.
    const env = local + 15 + this.rng.int(300);
    if (env > this.last) this.last = env;
    const ts = rfc3339Nano(env, this.rng.int(1000));
    if (text.length <= CRI_MAX_LINE || Buffer.byteLength(text) <= CRI_MAX_LINE) {
      this.file.write(`${ts} ${this.stream} F ${text}`, objects, incident);
    } else {
      const parts = splitBytes(text, CRI_MAX_LINE);
      for (let i = 0; i < parts.length; i++) {
        this.file.write(`${ts} ${this.stream} ${i === parts.length - 1 ? 'F' : 'P'} ${parts[i]}`, objects, incident);
      }
    }
    this.file.maybeRotate(env, rotationStamp);
  }
}

/** Splits text into pieces of at most `max` UTF-8 bytes without cutting a character. */
function splitBytes(text: string, max: number): string[] {
  const out: string[] = [];
  let cur = '';
  let bytes = 0;
  for (const ch of text) {
    const b = Buffer.byteLength(ch);
    if (bytes + b > max) {
      out.push(cur);
      cur = '';
      bytes = 0;
    }
    cur += ch;
    bytes += b;
  }
  if (cur) out.push(cur);
  return out;
}

/** One node's journald: journal.log holds everything, kubelet.log and containerd.log their units. */
export class Journal {
  readonly journal: LogFile;
  readonly kubelet: LogFile;
  readonly containerd: LogFile;
  private last = 0;

  constructor(
    out: Output,
    readonly node: string,
    readonly skew: number,
    private rng: Rng,
  ) {
    this.journal = out.file(`${node}/journal.log`);
    this.kubelet = out.file(`${node}/kubelet.log`);
    this.containerd = out.file(`${node}/containerd.log`);
  }

  claim(t: number): number {
    const local = Math.max(Math.floor(t + this.skew) + this.rng.int(200), this.last + 1);
    this.last = local;
    return local;
  }

  /** Writes `<Mon dd hh:mm:ss> <node> <ident>[<pid>]: <text>`; `unit` also copies it to that unit's log. */
  put(local: number, ident: string, text: string, unit: 'kubelet' | 'containerd' | null, objects: readonly string[], incident: string | null): void {
    const line = `${journalTime(local)} ${this.node} ${ident}: ${text}`;
    this.journal.write(line, objects, incident);
    if (unit === 'kubelet') this.kubelet.write(line, objects, incident);
    else if (unit === 'containerd') this.containerd.write(line, objects, incident);
  }
}

/** A journald-backed channel for one identifier (kubelet[287]) that also feeds its unit's log. */
export class JournalChannel implements Channel {
  constructor(
    private j: Journal,
    private ident: string,
    private unit: 'kubelet' | 'containerd' | null,
  ) {}

  claim(t: number): number {
    return this.j.claim(t);
  }

  put(local: number, text: string, objects: readonly string[], incident: string | null): void {
    this.j.put(local, this.ident, text, this.unit, objects, incident);
  }
}
