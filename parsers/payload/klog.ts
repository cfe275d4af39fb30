/**
 * klog text: `Lmmdd hh:mm:ss.uuuuuu PID file:line] message`, the format of kube-apiserver,
 * kube-scheduler, kube-controller-manager, kube-proxy and kubelet (and of kindnet, minikube...).
 *
 * The header has no year and no zone: the result carries `partialTime` and the pipeline resolves
 * it. The message is either unstructured text or, since 1.19, a Go-quoted string followed by
 * ` key=value` pairs (klog-values.ts), whose `key=<` blocks span the following lines.
 *
 * Continuation lines (everything after the header line that is not a block) go to
 * `fields.continuation` as text, and the message stays the header line's message: the message is
 * what a one-line view shows and what identical events share, while a trace block or a stack is
 * detail whose every line differs (addresses, timings). Apiserver trace lines are still searched
 * for the objects they name.
 */
import type { PayloadContext, PayloadParser, PayloadSample, PayloadResult, PartialTime } from '../types.js';
import type { Severity } from '../../src/model/event.js';
import { blockOpenAfter, cursor, readGoQuoted, readStructured, setField, type Fields } from './klog-values.js';
import { klogObjects } from './klog-objects.js';
import { componentFromCaller, componentFromMessage } from './klog-callers.js';

// This format's name, added to the model's PayloadFormat (src/model/event.ts, ParsedFormats).
declare module '../../src/model/event.js' {
  interface ParsedFormats {
    klog: true;
  }
}

/**
 * The header. Linear: every part is a fixed width or a class that cannot overlap the next one.
 * No capture groups: once it matched, the parts are read at their fixed places (`readHeader`),
 * which spares an array and nine substrings per line.
 */
const HEADER = /^[IWEF]\d{4} \d\d:\d\d:\d\d(?:\.\d{1,9})? +\d{1,10} [^\s\]]{1,512}\](?: |$)/;

/** A header-looking start that did not make a full header (cut, or another writer's). */
const HEADER_LIKE = /^[IWEF]\d{4} \d\d:\d\d:\d\d/;

/**
 * Lines klog-family processes write without a header at start-up. Matching them makes them events
 * rather than lines nobody claims:
 *  - `Flag --x has been deprecated, ...` (component-base's flag set, printed before logging is set
 *    up: raw-klog-1.19 kubelet.log, both kubelet journals);
 *  - the klog file header (`Log file created at:`, `Running on machine:`, `Binary: Built with`,
 *    `Log line format:`) written at the top of every file klog creates (minikube-logs, "Last Start");
 *  - Go's standard `log` lines, `2024/08/22 16:18:53 Running command:`: every kube-* image runs the
 *    component under go-runner, which logs this way (compose-logs); older apiservers also wrote
 *    net/http's errors through the standard logger. Their follow-up lines (`Command env: ...`,
 *    `Run from directory: ...`) carry no stamp and fold into them.
 */
const FLAG_DEPRECATED = /^Flag (?:shorthand )?(-{1,2}[^\s,]{1,200}) has been deprecated/;
const GO_LOG = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? /;
const FILE_HEADER_CREATED = 'Log file created at: ';
const FILE_HEADER_MACHINE = 'Running on machine: ';
const FILE_HEADER_BINARY = 'Binary: Built with ';
const FILE_HEADER_FORMAT = 'Log line format: ';

/** Lines that start something else, so never continue a klog event even without a header. */
const JOURNALD_LIKE = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d /;
const STAMP_LIKE = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/;

/**
 * Continuations folded into one event at most. A fatal klog line dumps every goroutine's stack,
 * which runs to thousands of lines; past this, the pipeline starts a new (unknown) event rather
 * than hold an unbounded one.
 */
const MAX_FOLD = 10_000;

const SEVERITY: Readonly<Record<string, Severity>> = { I: 'info', W: 'warn', E: 'error', F: 'fatal' };

/** Fractional-second digits ("457413", "1", "123456789") to microseconds. */
function fraction(digits: string | undefined): number {
  if (!digits) return 0;
  let v = 0;
  for (let i = 0; i < 6; i++) v = v * 10 + (i < digits.length ? digits.charCodeAt(i) - 48 : 0);
  return v;
}

function isStartupLine(text: string): boolean {
  switch (text.charCodeAt(0)) {
    case 70 /* F */:
      return text.startsWith('Flag ') && FLAG_DEPRECATED.test(text);
    case 76 /* L */:
      return text.startsWith(FILE_HEADER_CREATED) || text.startsWith(FILE_HEADER_FORMAT);
    case 82 /* R */:
      return text.startsWith(FILE_HEADER_MACHINE);
    case 66 /* B */:
      return text.startsWith(FILE_HEADER_BINARY);
    default:
      return false;
  }
}

interface Header {
  severity: Severity;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micros: number;
  pid: number;
  caller: string;
  /** Index of the message's first character. */
  msgStart: number;
}

function digits2(text: string, at: number): number {
  return (text.charCodeAt(at) - 48) * 10 + (text.charCodeAt(at + 1) - 48);
}

/** The header's parts, read at their places in a line that HEADER matched. */
function readHeader(text: string): Header | undefined {
  if (!HEADER.test(text)) return undefined;
  // Lmmdd hh:mm:ss[.frac] +pid caller]
  // 0123456789012345
  let i = 14;
  let micros = 0;
  if (text.charCodeAt(i) === 46 /* . */) {
    i++;
    let n = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      if (n < 6) micros = micros * 10 + (c - 48);
      n++;
      i++;
    }
    for (; n < 6; n++) micros *= 10;
  }
  while (text.charCodeAt(i) === 32) i++;
  let pid = 0;
  for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) pid = pid * 10 + (c - 48);
  const callerStart = i + 1;
  const close = text.indexOf(']', callerStart);
  return {
    severity: SEVERITY[text[0]!]!,
    month: digits2(text, 1),
    day: digits2(text, 3),
    hour: digits2(text, 6),
    minute: digits2(text, 9),
    second: digits2(text, 12),
    micros,
    pid,
    caller: text.slice(callerStart, close),
    msgStart: Math.min(close + 2, text.length),
  };
}

function matches(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c === 73 /* I */ || c === 87 /* W */ || c === 69 /* E */ || c === 70 /* F */) {
    const d = text.charCodeAt(1);
    if (d >= 48 && d <= 57) return HEADER.test(text);
  }
  if (c >= 48 && c <= 57) return text.charCodeAt(4) === 47 /* / */ && GO_LOG.test(text);
  return isStartupLine(text);
}

/** Could this header-less line start an event of another format (so it must not be folded)? */
function looksLikeOtherStart(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c === 123 /* { */) return true;
  if (c === 73 || c === 87 || c === 69 || c === 70) return HEADER_LIKE.test(text);
  if (c >= 65 && c <= 90) return text.charCodeAt(3) === 32 && JOURNALD_LIKE.test(text);
  if (c >= 48 && c <= 57) return STAMP_LIKE.test(text);
  return false;
}

function continues(text: string, pending: readonly string[]): boolean {
  if (pending.length === 0 || pending.length > MAX_FOLD) return false;
  if (text.length === 0) return pending.length > 1; // blank lines between goroutine stacks
  const c = text.charCodeAt(0);
  if (c === 9 || c === 32) return true; // block lines, ` >`, stack frames' `\t/path/file.go:12`
  if (blockOpenAfter(pending)) return true;
  // Trace[N]: lines, `goroutine 1 [running]:`, `panic: ...`, `created by ...`, `main.foo(...)`,
  // healthz's `[-]poststarthook/... failed`, go-runner's `Command env: ...`: any other line that
  // has no header of its own belongs to the event before it.
  return !looksLikeOtherStart(text);
}

/** The continuation lines as one text, trailing blank lines dropped. */
function continuationText(lines: readonly string[], from: number): string | undefined {
  let to = lines.length;
  while (to > from && lines[to - 1]!.trim() === '') to--;
  if (to <= from) return undefined;
  return lines.slice(from, to).join('\n');
}

/** The apiserver trace lines among lines from..; undefined when there are none (see klogObjects). */
function traceLines(lines: readonly string[], from: number): string[] | undefined {
  let out: string[] | undefined;
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('Trace[')) (out ??= []).push(line);
  }
  return out;
}

function parse(lines: readonly string[], _ctx: PayloadContext): PayloadResult {
  const text = lines[0] ?? '';
  const h = readHeader(text);
  if (!h) return parseHeaderless(text, lines);
  const { month, day, hour, minute, second, caller, msgStart } = h;

  let message: string;
  let fields: Fields = {};
  let used = 0;
  const q = text.charCodeAt(msgStart) === 34 /* " */ ? readGoQuoted(text, msgStart) : undefined;
  const qEnd = cursor.end;
  if (q !== undefined && (qEnd === text.length || text.charCodeAt(qEnd) === 32)) {
    const r = readStructured(text, qEnd, lines, fields, 1);
    if (r.headerPairs === 0 && r.rest !== undefined) {
      // A quoted phrase followed by prose, not pairs: an unstructured message after all.
      message = text.slice(msgStart);
      fields = {};
    } else {
      message = q;
      used = r.used;
      if (r.rest !== undefined) setField(fields, 'unparsed', r.rest);
    }
  } else {
    message = text.slice(msgStart);
  }

  const from = 1 + used;
  const continuation = continuationText(lines, from);
  if (continuation !== undefined) setField(fields, 'continuation', continuation);

  const result: PayloadResult = {
    format: 'klog',
    severity: h.severity,
    caller,
    message,
    fields,
    objects: klogObjects(message, fields, from < lines.length ? traceLines(lines, from) : undefined),
    pid: h.pid,
  };
  if (month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour < 24 && minute < 60 && second < 61) {
    const partialTime: PartialTime = { month, day, hour, minute, second, micros: h.micros };
    result.partialTime = partialTime;
    result.hasZone = false;
  }
  const component = componentFromCaller(caller) ?? componentFromMessage(message);
  if (component) result.component = component;
  return result;
}

/** The start-up lines without a header (see `isStartupLine`, `GO_LOG`), or a line no rule knows. */
function parseHeaderless(text: string, lines: readonly string[]): PayloadResult {
  const fields: Fields = {};
  const result: PayloadResult = { format: 'klog', severity: 'info', message: text, fields, objects: [] };
  const flag = text.startsWith('Flag ') ? FLAG_DEPRECATED.exec(text) : null;
  if (flag) {
    result.severity = 'warn';
    fields['flag'] = flag[1]!;
  } else if (text.startsWith(FILE_HEADER_MACHINE)) {
    const host = text.slice(FILE_HEADER_MACHINE.length).trim();
    if (host) result.host = host;
  } else if (text.startsWith(FILE_HEADER_CREATED)) {
    const m = GO_LOG.exec(text.slice(FILE_HEADER_CREATED.length) + ' ');
    if (m) setGoLogTime(result, m);
  } else {
    const m = text.charCodeAt(4) === 47 ? GO_LOG.exec(text) : null;
    if (m) {
      setGoLogTime(result, m);
      result.message = text.slice(m[0].length);
    }
  }
  const continuation = continuationText(lines, 1);
  if (continuation !== undefined) fields['continuation'] = continuation;
  return result;
}

/** Go's `log` stamp is the process's local time with a year: read as UTC, and said to have no zone. */
function setGoLogTime(result: PayloadResult, m: RegExpExecArray): void {
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60) return;
  const ms = Date.UTC(Number(m[1]), month - 1, day, Number(m[4]), Number(m[5]), Number(m[6]));
  result.time = ms * 1000 + fraction(m[7]);
  result.hasZone = false;
}

/** Real lines of this format and their expected parse (parsers/types.ts, PayloadSample). */
const SAMPLES: readonly PayloadSample[] = [
  {
    from: "raw-klog-1.19/kubelet.log",
    text: "I1119 11:58:27.853256    4390 flags.go:59] FLAG: --add-dir-header=\"false\"",
    expect: {severity:"info",message:"FLAG: --add-dir-header=\"false\""},
  },
  {
    from: "raw-klog-1.19/kubelet.log",
    text: "E1119 11:58:33.230855    4390 info.go:114] Failed to get system UUID: open /etc/machine-id: no such file or directory",
    expect: {severity:"error",message:"Failed to get system UUID: open /etc/machine-id: no such file or directory"},
  },
  {
    from: "kind-1.32-bundle/kind-control-plane/kubelet.log (journald envelope removed)",
    text: "E0321 14:51:25.037956     287 kubelet.go:3202] \"Failed creating a mirror pod\" err=\"pods \\\"kube-apiserver-kind-control-plane\\\" is forbidden: no PriorityClass with name system-node-critical was found\" pod=\"kube-system/kube-apiserver-kind-control-plane\"",
    expect: {severity:"error",message:"Failed creating a mirror pod",fields:{err:"pods \"kube-apiserver-kind-control-plane\" is forbidden: no PriorityClass with name system-node-critical was found",pod:"kube-system/kube-apiserver-kind-control-plane"},component:"kubelet",objects:[{kind:"Pod",namespace:"kube-system",name:"kube-apiserver-kind-control-plane",via:"field",key:"pod"}]},
  },
];

export const klogParser: PayloadParser = {
  format: 'klog',
  samples: SAMPLES,
  matches,
  continues,
  parse,
};
