/**
 * How templates are declared. Every message the simulator writes comes from one of these records,
 * one file per component, so that fixing a message is a one-place change and the realism test can
 * check each template against the real corpus (test/src/sim/realism.test.ts).
 *
 * Placeholders are `{name}`: they are filled from the record's values and masked by the realism
 * test, which looks for the remaining constant fragments, in order, on one line of the corpus.
 */
import type { KlogTemplate, Sev } from '../format/klog.js';

export type TemplateKind = 'klog' | 'zap' | 'capnslog' | 'raft34' | 'coredns' | 'containerd' | 'systemd' | 'plain' | 'event';

export interface TemplateInfo {
  id: string;
  kind: TemplateKind;
  /** Constant fragments a real line must contain, in order. */
  fragments: string[];
  /** Fragments of the '1.20' (legacy) form, when the template has one. */
  legacyFragments?: string[];
}

const registry: TemplateInfo[] = [];

/** Every template declared so far (the realism test imports all template modules first). */
export function allTemplates(): readonly TemplateInfo[] {
  return registry;
}

/** Splits `a {x} b {y}` into its constant parts `["a ", " b "]`. */
export function constantFragments(text: string): string[] {
  return text.split(/\{[A-Za-z0-9_.-]+\}/).filter((f) => f.length > 0);
}

/** A template split once into constant parts and keys: even indexes constants, odd ones keys. */
const compiled = new Map<string, string[]>();

function compile(text: string): string[] {
  let parts = compiled.get(text);
  if (!parts) {
    parts = text.split(/\{([A-Za-z0-9_.-]+)\}/);
    compiled.set(text, parts);
  }
  return parts;
}

/** Fills `{x}` placeholders with raw values (hot path: templates are compiled once). */
export function fill(text: string, vals: Readonly<Record<string, unknown>>): string {
  const parts = compile(text);
  if (parts.length === 1) return text;
  let s = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const v = vals[parts[i]!];
    if (v !== undefined) s += String(v);
    s += parts[i + 1]!;
  }
  return s;
}

function quoteFragments(msg: string): string[] {
  // A structured message is Go-quoted in the line: quotes inside it appear as \".
  const escaped = msg.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  const parts = constantFragments(escaped);
  if (parts.length === 0) return [];
  // The first fragment starts right after the opening quote, the last one ends at the closing one.
  if (escaped.startsWith(parts[0]!)) parts[0] = '"' + parts[0];
  const last = parts.length - 1;
  if (escaped.endsWith(parts[last]!)) parts[last] = parts[last] + '"';
  return parts;
}

export function klog(
  id: string,
  sev: Sev,
  v: number,
  caller: string,
  msg: string,
  keys: readonly string[] = [],
  legacy?: string,
  legacyCaller?: string,
): KlogTemplate {
  registry.push({
    id,
    kind: 'klog',
    fragments: [...quoteFragments(msg), ...keys.map((k) => ` ${k}=`)],
    legacyFragments: legacy === undefined ? undefined : constantFragments(legacy),
  });
  return { id, sev, v, caller, msg, keys, legacy, legacyCaller };
}

/** A klog line written with printf-style calls (no structured message) in every version. */
export interface PlainKlogTemplate {
  id: string;
  sev: Sev;
  v: number;
  caller: string;
  format: string;
}

export function klogf(id: string, sev: Sev, v: number, caller: string, format: string): PlainKlogTemplate {
  registry.push({ id, kind: 'klog', fragments: constantFragments(format) });
  return { id, sev, v, caller, format };
}

export interface ZapTemplate {
  id: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  caller: string;
  logger?: string;
  msg: string;
  keys: readonly string[];
  /** etcd 3.4 capnslog form: severity letter, package and printf-style text. */
  capn?: { sev: 'I' | 'W' | 'E' | 'N'; pkg: string; text: string };
}

export function zap(
  id: string,
  level: ZapTemplate['level'],
  caller: string,
  msg: string,
  keys: readonly string[] = [],
  capn?: ZapTemplate['capn'],
  logger?: string,
): ZapTemplate {
  registry.push({
    id,
    kind: 'zap',
    fragments: [...constantFragments(`"msg":"${msg}"`), ...keys.map((k) => `"${k}":`)],
    legacyFragments: capn ? constantFragments(`${capn.pkg}: ${capn.text}`) : undefined,
  });
  return { id, level, caller, msg, keys, capn, logger };
}

/** A raft message: zap `logger":"raft"` in 3.5, `raftYYYY/MM/DD hh:mm:ss INFO: ...` in 3.4. */
export function raftMsg(id: string, level: 'info' | 'warn', msg: string): ZapTemplate {
  registry.push({ id, kind: 'zap', fragments: constantFragments(`"msg":"${msg}"`), legacyFragments: constantFragments(msg) });
  return { id, level, caller: 'etcdserver/zap_raft.go:77', msg, keys: [], logger: 'raft' };
}

export interface TextTemplate {
  id: string;
  text: string;
}

/** A line whose whole text is a format (CoreDNS, systemd, kubelet flag preambles...). */
export function text(id: string, kind: TemplateKind, format: string): TextTemplate {
  registry.push({ id, kind, fragments: constantFragments(format) });
  return { id, text: format };
}

export interface ContainerdTemplate {
  id: string;
  level: 'info' | 'warning' | 'error';
  msg: string;
  keys: readonly string[];
}

export function containerd(id: string, level: ContainerdTemplate['level'], msg: string, keys: readonly string[] = []): ContainerdTemplate {
  const escaped = msg.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  registry.push({ id, kind: 'containerd', fragments: [...constantFragments(`msg="${escaped}"`), ...keys.map((k) => ` ${k}=`)] });
  return { id, level, msg, keys };
}

export interface EventTemplate {
  id: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** Which component records it: source.component and reportingController. */
  source: string;
  /** '1.20' wording when it differs. */
  legacy?: string;
}

export function event(
  id: string,
  type: EventTemplate['type'],
  reason: string,
  message: string,
  source: string,
  legacy?: string,
): EventTemplate {
  registry.push({ id, kind: 'event', fragments: constantFragments(message), legacyFragments: legacy ? constantFragments(legacy) : undefined });
  return { id, type, reason, message, source, legacy };
}
