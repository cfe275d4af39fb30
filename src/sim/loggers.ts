/**
 * Per-format loggers over a channel: klog (text/JSON, structured/legacy), etcd (zap JSON or 3.4
 * capnslog), containerd (logrus text), and whole-line text templates (CoreDNS, systemd, preambles).
 */
import type { Channel } from './channels.js';
import { renderKlog, renderKlogPlain, type KlogStyle, type KlogTemplate, type KVal } from './format/klog.js';
import { capnslogTime, isoMicros, raftTime, rfc3339Nano9 } from './format/time.js';
import { fill, type ContainerdTemplate, type PlainKlogTemplate, type TextTemplate, type ZapTemplate } from './templates/define.js';

export type Vals = Readonly<Record<string, KVal>>;
const NONE: readonly string[] = [];

/**
 * The simulation clock. Behaviours often know a line's time before it is due (a container that
 * will start in 300 ms): such lines are queued and written when the clock reaches them, so each
 * file is written in time order.
 */
export interface Clock {
  readonly now: number;
  at(t: number, fn: () => void): void;
}

/** Lines due within this many microseconds are written at once (the file's clamp keeps order). */
const NEAR_US = 1000;

function due(clock: Clock, t: number, fn: () => void): void {
  if (t > clock.now + NEAR_US) clock.at(t, fn);
  else fn();
}

export class KlogLogger {
  constructor(
    readonly clock: Clock,
    readonly ch: Channel,
    readonly style: KlogStyle,
  ) {}

  log(t: number, tpl: KlogTemplate, vals: Vals, objects: readonly string[] = NONE, incident: string | null = null): void {
    due(this.clock, t, () => {
      const local = this.ch.claim(t);
      this.ch.put(local, renderKlog(tpl, vals, local, this.style), objects, incident);
    });
  }

  /** A printf-style klog line. */
  f(t: number, tpl: PlainKlogTemplate, vals: Readonly<Record<string, unknown>>, objects: readonly string[] = NONE, incident: string | null = null): void {
    due(this.clock, t, () => {
      const local = this.ch.claim(t);
      this.ch.put(local, renderKlogPlain(tpl.sev, tpl.caller, fill(tpl.format, vals), local, this.style, tpl.v), objects, incident);
    });
  }

  /** A line without klog header (flag preambles, trace continuation lines). */
  text(t: number, tpl: TextTemplate, vals: Readonly<Record<string, unknown>>, objects: readonly string[] = NONE, incident: string | null = null): void {
    due(this.clock, t, () => {
      const local = this.ch.claim(t);
      this.ch.put(local, fill(tpl.text, vals), objects, incident);
    });
  }

  /** Several lines of one record (a trace block): klog text writes them as they are, JSON joins them. */
  block(t: number, first: PlainKlogTemplate, firstVals: Readonly<Record<string, unknown>>, rest: string[], objects: readonly string[], incident: string | null): void {
    due(this.clock, t, () => this.blockNow(t, first, firstVals, rest, objects, incident));
  }

  private blockNow(t: number, first: PlainKlogTemplate, firstVals: Readonly<Record<string, unknown>>, rest: string[], objects: readonly string[], incident: string | null): void {
    const local = this.ch.claim(t);
    const head = fill(first.format, firstVals);
    if (this.style.json) {
      this.ch.put(local, renderKlogPlain(first.sev, first.caller, [head, ...rest].join('\n'), local, this.style, first.v), objects, incident);
      return;
    }
    this.ch.put(local, renderKlogPlain(first.sev, first.caller, head, local, this.style, first.v), objects, incident);
    for (const line of rest) this.ch.put(this.ch.claim(local), line, objects, incident);
  }
}

export class EtcdLogger {
  constructor(
    readonly clock: Clock,
    readonly ch: Channel,
    /** etcd 3.4 default logger (capnslog text) instead of 3.5 zap JSON. */
    readonly capnslog: boolean,
  ) {}

  log(t: number, tpl: ZapTemplate, vals: Readonly<Record<string, unknown>>, objects: readonly string[] = NONE, incident: string | null = null): void {
    due(this.clock, t, () => this.write(t, tpl, vals, objects, incident));
  }

  private write(t: number, tpl: ZapTemplate, vals: Readonly<Record<string, unknown>>, objects: readonly string[], incident: string | null): void {
    if (this.capnslog) {
      if (tpl.logger === 'raft') {
        const local = this.ch.claim(t);
        const lvl = tpl.level === 'warn' ? 'WARN' : 'INFO';
        this.ch.put(local, `${raftTime(local)} ${lvl}: ${fill(tpl.msg, vals)}`, objects, incident);
      } else if (tpl.capn) {
        const local = this.ch.claim(t);
        this.ch.put(local, `${capnslogTime(local)} ${tpl.capn.sev} | ${tpl.capn.pkg}: ${fill(tpl.capn.text, vals)}`, objects, incident);
      }
      return;
    }
    const local = this.ch.claim(t);
    let s = '{"level":"' + tpl.level + '","ts":"' + isoMicros(local) + '",';
    if (tpl.logger) s += '"logger":"' + tpl.logger + '",';
    s += '"caller":"' + tpl.caller + '","msg":' + JSON.stringify(fill(tpl.msg, vals));
    for (const k of tpl.keys) {
      const v = vals[k];
      if (v !== undefined) s += ',' + JSON.stringify(k) + ':' + JSON.stringify(v);
    }
    this.ch.put(local, s + '}', objects, incident);
  }
}

const LOGRUS_PLAIN = /^[A-Za-z0-9\-._/@^+]+$/;

export class ContainerdLogger {
  constructor(
    readonly clock: Clock,
    readonly ch: Channel,
  ) {}

  log(t: number, tpl: ContainerdTemplate, vals: Readonly<Record<string, unknown>>, objects: readonly string[] = NONE, incident: string | null = null, nanos = 0): void {
    due(this.clock, t, () => this.write(t, tpl, vals, objects, incident, nanos));
  }

  private write(t: number, tpl: ContainerdTemplate, vals: Readonly<Record<string, unknown>>, objects: readonly string[], incident: string | null, nanos: number): void {
    const local = this.ch.claim(t);
    let s = `time="${rfc3339Nano9(local, nanos)}" level=${tpl.level} msg=${JSON.stringify(fill(tpl.msg, vals))}`;
    for (const k of tpl.keys) {
      const v = vals[k];
      if (v === undefined) continue;
      const str = String(v);
      s += ' ' + k + '=' + (LOGRUS_PLAIN.test(str) ? str : JSON.stringify(str));
    }
    this.ch.put(local, s, objects, incident);
  }
}

export class TextLogger {
  constructor(
    readonly clock: Clock,
    readonly ch: Channel,
  ) {}

  log(t: number, tpl: TextTemplate, vals: Readonly<Record<string, unknown>> = {}, objects: readonly string[] = NONE, incident: string | null = null): void {
    due(this.clock, t, () => {
      const local = this.ch.claim(t);
      this.ch.put(local, fill(tpl.text, vals), objects, incident);
    });
  }
}
