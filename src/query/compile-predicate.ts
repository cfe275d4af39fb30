/**
 * The AST to a predicate over KEvents, for streams (pipe and follow) where there is no store.
 * It means exactly what compile-sql.ts means over the store (a property test checks it): the
 * shared rules live in values.ts. Regexes, sets and times are prepared once, at compile time.
 */
import { severityRank, type KEvent, type ObjectRef } from '../model/event.js';
import type { Expr } from './ast.js';
import { resolveTime, type CompileOptions } from './compile-sql.js';
import {
  asciiLower,
  compileRegex,
  fieldDuration,
  fieldNumber,
  fieldText,
  refText,
  severitiesMatching,
  severityRankOf,
} from './values.js';

export type EventPredicate = (e: KEvent) => boolean;

function order(op: string, a: number, b: number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
  }
  return false;
}

/** = and =~ as given; != and !~ as their negation. */
function negatable(op: string, positive: EventPredicate): EventPredicate {
  return op === '!=' || op === '!~' ? (e) => !positive(e) : positive;
}

/** A text test for = / != (equality) or =~ / !~ (regex); absent values fail the positive test. */
function textTest(op: string, value: string): (s: string | undefined) => boolean {
  if (op === '=~' || op === '!~') {
    const re = compileRegex(value);
    return (s) => s !== undefined && re.test(s);
  }
  return (s) => s === value;
}

function anyRef(test: (r: ObjectRef) => boolean): EventPredicate {
  return (e) => e.objects.some(test);
}

function kindIs(kind: string): (r: ObjectRef) => boolean {
  const folded = asciiLower(kind);
  return (r) => asciiLower(r.kind) === folded;
}

/** A field's own value: never an inherited property ("constructor", "__proto__"). */
function own(fields: Record<string, unknown>, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined;
}

function build(e: Expr, now: number): EventPredicate {
  switch (e.type) {
    case 'and': {
      const items = e.items.map((i) => build(i, now));
      return (ev) => items.every((p) => p(ev));
    }
    case 'or': {
      const items = e.items.map((i) => build(i, now));
      return (ev) => items.some((p) => p(ev));
    }
    case 'not': {
      const inner = build(e.expr, now);
      return (ev) => !inner(ev);
    }
    case 'line': {
      if (e.op === '|=' || e.op === '!=') {
        const v = e.value;
        return negatable(e.op, (ev) => ev.message.includes(v) || ev.raw.includes(v));
      }
      const re = compileRegex(e.value);
      return negatable(e.op, (ev) => re.test(ev.message) || re.test(ev.raw));
    }
    case 'label': {
      const test = textTest(e.op, e.value);
      switch (e.name) {
        case 'component':
          return negatable(e.op, (ev) => test(ev.component));
        case 'host':
          return negatable(e.op, (ev) => test(ev.host));
        case 'format':
          return negatable(e.op, (ev) => test(ev.format));
        case 'file':
          return negatable(e.op, (ev) => test(ev.source.file));
        case 'message':
          return negatable(e.op, (ev) => test(ev.message));
        case 'caller':
          return negatable(e.op, (ev) => test(ev.caller));
        case 'cluster':
          return negatable(e.op, (ev) => test(ev.cluster ?? ''));
      }
      break;
    }
    case 'severity': {
      if ('pattern' in e) {
        const ranks = new Set(severitiesMatching(e.pattern));
        return negatable(e.op, (ev) => ranks.has(severityRank(ev.severity)));
      }
      const rank = severityRankOf(e.value);
      const op = e.op;
      return (ev) => order(op, severityRank(ev.severity), rank);
    }
    case 'time': {
      const at = resolveTime(e.value, now);
      const op = e.op;
      return (ev) => order(op, ev.time, at);
    }
    case 'verbosity': {
      const { value } = e;
      const op = e.op === '!=' ? '=' : e.op;
      return negatable(e.op, (ev) => ev.verbosity !== undefined && ev.verbosity !== null && order(op, ev.verbosity, value));
    }
    case 'ref': {
      const regex = e.op === '=~' || e.op === '!~';
      if (e.ref === 'uid') {
        const test = textTest(e.op, e.value);
        return negatable(e.op, anyRef((r) => r.uid !== undefined && r.uid !== null && test(r.uid)));
      }
      if (e.ref === 'node') {
        const test = textTest(e.op, e.value);
        const isNode = kindIs('Node');
        return negatable(e.op, anyRef((r) => isNode(r) && r.name !== undefined && r.name !== null && test(r.name)));
      }
      const isPod = kindIs('Pod');
      if (regex) {
        const re = compileRegex(e.value);
        return negatable(
          e.op,
          anyRef((r) => isPod(r) && r.name !== undefined && r.name !== null && re.test(refText(r.namespace, r.name))),
        );
      }
      const slash = e.value.indexOf('/');
      const ns = slash < 0 ? undefined : e.value.slice(0, slash);
      const name = slash < 0 ? e.value : e.value.slice(slash + 1);
      return negatable(
        e.op,
        anyRef((r) => isPod(r) && r.name === name && (ns === undefined || r.namespace === ns)),
      );
    }
    case 'object': {
      const isKind = kindIs(e.kind);
      const { namespace, name } = e;
      return negatable(
        e.op,
        anyRef((r) => isKind(r) && r.name === name && (namespace === undefined || r.namespace === namespace)),
      );
    }
    case 'field': {
      const { name, value: v } = e;
      if (v.type === 'string' && (e.op === '=' || e.op === '!=' || e.op === '=~' || e.op === '!~')) {
        const test = textTest(e.op, v.value);
        return negatable(e.op, (ev) => test(fieldText(own(ev.fields, name))));
      }
      const read = v.type === 'duration' ? fieldDuration : fieldNumber;
      const operand = v.type === 'duration' ? v.micros : v.type === 'number' ? v.value : Number.NaN;
      const op = e.op === '!=' ? '=' : e.op;
      const positive: EventPredicate = (ev) => {
        const x = read(own(ev.fields, name));
        return x !== undefined && order(op, x, operand);
      };
      return e.op === '!=' ? (ev) => !positive(ev) : positive;
    }
  }
  throw new Error(`unknown expression ${JSON.stringify(e)}`);
}

/** Compiles a parsed query to a predicate over events. */
export function compilePredicate(expr: Expr, opts: CompileOptions = {}): EventPredicate {
  return build(expr, opts.now ?? Date.now() * 1000);
}
