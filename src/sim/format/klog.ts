/**
 * Renders klog records the way the components write them: klog text (structured `"msg" k=v`, or
 * the older unstructured printf form for '1.20' templates that have one) and klog JSON
 * (`--logging-format=json`). Templates live in src/sim/templates/; this module only renders.
 */
import { epochMillis, klogTime } from './time.js';

/** Fills `{x}` placeholders of a message with raw values. */
function fillMsg(msg: string, vals: Readonly<Record<string, KVal>>): string {
  if (msg.indexOf('{') < 0) return msg;
  return msg.replace(/\{([A-Za-z0-9_.-]+)\}/g, (_, k: string) => {
    const v = vals[k];
    return v === undefined ? '' : legacyValue(v);
  });
}

/** F: a fatal line (klog.Fatal), after which the process exits. */
export type Sev = 'I' | 'W' | 'E' | 'F';

export interface KlogTemplate {
  /** Stable id (`kubelet.syncLoopAdd`), used by the realism test and the truth-free checks. */
  id: string;
  sev: Sev;
  /** Verbosity the call logs at (klog JSON `v`). */
  v: number;
  /** `dir/file.go:line` as klog JSON prints it; klog text shows only `file.go:line`. */
  caller: string;
  /** The structured message (InfoS/ErrorS first argument). */
  msg: string;
  /** Keys in the order the call passes them (`err` first for ErrorS). */
  keys: readonly string[];
  /** Unstructured printf-style form for k8sVersion '1.20' (`{key}` placeholders), when it differs. */
  legacy?: string;
  legacyCaller?: string;
}

/** An object reference (klog.KObj): `"ns/name"` in text, `{"name":..,"namespace":..}` in JSON. */
export interface Ref {
  ref: string;
}
/** A value printed as-is in text (JSON, Go %+v), with its JSON form for klog JSON. */
export interface Raw {
  raw: string;
  json: unknown;
}
export type KVal = string | number | boolean | Ref | Raw | readonly string[];

export const ref = (namespace: string | undefined, name: string): Ref => ({ ref: namespace ? `${namespace}/${name}` : name });
export const raw = (text: string, json: unknown = text): Raw => ({ raw: text, json });

export interface KlogStyle {
  json: boolean;
  legacy: boolean;
  pid: number;
}

const NEEDS_QUOTE_ESCAPE = /["\\\u0000-\u001f\u007f]/;

/** Go strconv.Quote for the characters logs contain (printable Unicode is kept as is). */
export function goQuote(s: string): string {
  if (!NEEDS_QUOTE_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

function textValue(v: KVal): string {
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return JSON.stringify(v);
  if ('ref' in (v as object)) return goQuote((v as Ref).ref);
  return (v as Raw).raw;
}

function jsonValue(v: KVal): unknown {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || Array.isArray(v)) return v;
  if ('ref' in (v as object)) {
    const r = (v as Ref).ref;
    const i = r.indexOf('/');
    return i < 0 ? { name: r } : { name: r.slice(i + 1), namespace: r.slice(0, i) };
  }
  return (v as Raw).json;
}

function legacyValue(v: KVal): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.join(', ');
  if ('ref' in (v as object)) return (v as Ref).ref;
  return (v as Raw).raw;
}

function baseName(caller: string): string {
  const i = caller.lastIndexOf('/');
  return i < 0 ? caller : caller.slice(i + 1);
}

/** Renders one klog record as one physical line. */
export function renderKlog(t: KlogTemplate, vals: Readonly<Record<string, KVal>>, us: number, style: KlogStyle): string {
  if (style.json) {
    let s = '{"ts":' + epochMillis(us) + ',"caller":' + JSON.stringify(t.caller) + ',"msg":' + JSON.stringify(fillMsg(t.msg, vals));
    if (t.sev !== 'E' && t.sev !== 'F') s += ',"v":' + t.v;
    for (const k of t.keys) {
      const v = vals[k];
      if (v === undefined) continue;
      s += ',' + JSON.stringify(k) + ':' + JSON.stringify(jsonValue(v));
    }
    return s + '}';
  }
  if (style.legacy && t.legacy !== undefined) {
    const body = t.legacy.replace(/\{([A-Za-z0-9_.-]+)\}/g, (_, k: string) => {
      const v = vals[k];
      return v === undefined ? '' : legacyValue(v);
    });
    return header(t.sev, us, style.pid, baseName(t.legacyCaller ?? t.caller)) + body;
  }
  let s = header(t.sev, us, style.pid, baseName(t.caller)) + goQuote(fillMsg(t.msg, vals));
  for (const k of t.keys) {
    const v = vals[k];
    // Contextual logging (the `logger` key) came with v1.27: a 1.20 component never writes it.
    if (v === undefined || (style.legacy && k === 'logger')) continue;
    s += ' ' + k + '=' + textValue(v);
  }
  return s;
}

/** A plain printf-style klog line (no structured message), e.g. `Trace[...]` headers. */
export function renderKlogPlain(sev: Sev, caller: string, body: string, us: number, style: KlogStyle, v = 0): string {
  if (style.json) {
    return '{"ts":' + epochMillis(us) + ',"caller":' + JSON.stringify(caller) + ',"msg":' + JSON.stringify(body) + (sev !== 'E' && sev !== 'F' ? ',"v":' + v : '') + '}';
  }
  return header(sev, us, style.pid, baseName(caller)) + body;
}

export function header(sev: Sev, us: number, pid: number, file: string): string {
  return sev + klogTime(us) + ' ' + String(pid).padStart(7) + ' ' + file + '] ';
}
