/**
 * The query AST: one boolean expression. The parser flattens a query's selector matchers and
 * pipeline stages into a top-level `and`; an empty query is `{ type: 'and', items: [] }` (true).
 * Every value is already typed and checked (severities known, regexes valid, durations in
 * microseconds), so that the compilers never fail on a parsed query.
 */
import type { Severity } from '../model/event.js';

export type TextOp = '=' | '!=' | '=~' | '!~';
export type OrderOp = '>' | '>=' | '<' | '<=';
export type CompareOp = TextOp | OrderOp;
export type LineOp = '|=' | '!=' | '|~' | '!~';

/**
 * Event properties compared as text (host and caller may be absent; an event without a cluster
 * has the cluster '', as the store keeps it).
 */
export type TextLabel = 'component' | 'host' | 'format' | 'file' | 'message' | 'caller' | 'cluster';

/** A time point: absolute, or that long before the `now` given to the compilers. */
export type TimeValue = { at: number } | { ago: number };

export type FieldValue =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'duration'; micros: number };

export type Expr =
  | { type: 'and'; items: Expr[] }
  | { type: 'or'; items: Expr[] }
  | { type: 'not'; expr: Expr }
  /** Text (|=, !=) or a regex (|~, !~, unanchored) over the message or the raw line. */
  | { type: 'line'; op: LineOp; value: string }
  /** For =~ and !~ the value is a regex (anchored). */
  | { type: 'label'; name: TextLabel; op: TextOp; value: string }
  /** For =~ and !~ `pattern` is a regex over the severity's name; otherwise `value` is set. */
  | { type: 'severity'; op: '=' | '!=' | OrderOp; value: Severity }
  | { type: 'severity'; op: '=~' | '!~'; pattern: string }
  | { type: 'time'; op: '=' | '!=' | OrderOp; value: TimeValue }
  | { type: 'verbosity'; op: '=' | '!=' | OrderOp; value: number }
  /**
   * An object reference: pod ("ns/name" or "name"), node (a name) or uid (any kind). For =~
   * and !~ the value is a regex (anchored) over "ns/name", the node's name or the uid.
   */
  | { type: 'ref'; ref: 'pod' | 'node' | 'uid'; op: TextOp; value: string }
  /** kind/namespace/name or kind/name (then any namespace); the kind compares without case. */
  | { type: 'object'; op: '=' | '!='; kind: string; namespace?: string; name: string }
  /** Any other name: a top-level key of the event's fields. For =~ and !~ the value is a regex. */
  | { type: 'field'; name: string; op: CompareOp; value: FieldValue };

export const TRUE: Expr = { type: 'and', items: [] };
