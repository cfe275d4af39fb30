/**
 * JSON Schema (2020-12) validation of ktrail's own documents (the expectations file, the CI
 * report) with ajv, in strict mode: a keyword ajv does not know, or a $ref it cannot resolve, is
 * an error when the schema is compiled, so a schema cannot silently ask for more than is checked.
 *
 * What this module adds is the wording: ajv's errors are turned into messages a person can act on,
 * at a path they can find in a YAML file (`require[1].min: must be at least 1`,
 * `accept[0].objcet: is not allowed here (allowed: kind, object, max, reason)`). When no branch of
 * a oneOf/anyOf fits, the errors of the branch that came closest are given, not a bare "no match".
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

export type JsonSchema = {
  $schema?: string;
  $id?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  title?: string;
  description?: string;
  examples?: unknown[];
  default?: unknown;
  type?: JsonType | JsonType[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
};

type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

export interface SchemaError {
  /** Where: `require[1].min`, or `(top level)`. */
  path: string;
  message: string;
}

// strictRequired is off: a oneOf branch that only says which properties are required (as the
// expectations file's require rules do) is the usual JSON Schema idiom, not a mistake.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, verbose: true });
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function validatorFor(schema: JsonSchema): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    // Compiled without registering the $id, so tests and callers may compile schemas sharing one.
    const { $id: _id, ...anonymous } = schema;
    v = ajv.compile(anonymous);
    compiled.set(schema, v);
  }
  return v;
}

/** Validates `value`; returns every error found (empty when valid). Throws for a schema ajv refuses. */
export function validateSchema(schema: JsonSchema, value: unknown): SchemaError[] {
  const validate = validatorFor(schema);
  if (validate(value)) return [];
  return readable(value, validate.errors ?? []);
}

function typeOf(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v as JsonType;
}

/** A JSON pointer into `value` (ajv's instancePath) as `a.b[2]."we ird"`. */
function pathOf(value: unknown, pointer: string): string {
  let path = '';
  let at = value;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = Array.isArray(at) ? `${path}[${key}]` : joinKey(path, key);
    at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  }
  return path;
}

function joinKey(path: string, key: string): string {
  const safe = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  return path ? `${path}.${safe}` : safe;
}

/** ajv's errors in ktrail's words, with oneOf/anyOf failures reduced to the closest branch. */
function readable(value: unknown, errors: ErrorObject[]): SchemaError[] {
  const out: { error: ErrorObject; text: SchemaError }[] = [];
  for (const e of errors) {
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf') {
      const passing = (e.params as { passingSchemas?: number[] | null }).passingSchemas;
      if (passing) {
        out.push({ error: e, text: { path: pathOf(value, e.instancePath), message: 'matches more than one of the allowed forms (they exclude each other)' } });
        continue;
      }
      // The branches' own errors came just before this one: keep those of the closest branch.
      const branches = (e.schema as JsonSchema[]).map((b, i) => b.$ref ?? `${e.schemaPath}/${i}`);
      const inBranch = (x: ErrorObject, prefix: string) => x.schemaPath.startsWith(`${prefix}/`) && x.instancePath.startsWith(e.instancePath);
      const groups = branches.map((prefix) => out.filter((o) => inBranch(o.error, prefix)));
      const members = new Set(groups.flat());
      const kept = out.filter((o) => !members.has(o));
      const best = groups.filter((g) => g.length > 0).sort((a, b) => a.length - b.length)[0];
      out.length = 0;
      out.push(...kept, ...(best ?? [{ error: e, text: { path: pathOf(value, e.instancePath), message: 'must match one of the allowed forms' } }]));
      continue;
    }
    out.push({ error: e, text: describe(value, e) });
  }
  return out.map((o) => ({ ...o.text, path: o.text.path || '(top level)' }));
}

function describe(value: unknown, e: ErrorObject): SchemaError {
  const path = pathOf(value, e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type': {
      const types = Array.isArray(p.type) ? p.type : [p.type];
      return { path, message: `must be ${types.join(' or ')}, not ${typeOf(e.data)}` };
    }
    case 'const':
      return { path, message: `must be ${JSON.stringify(p.allowedValue)}` };
    case 'enum':
      return { path, message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'minimum':
      return { path, message: `must be at least ${String(p.limit)}` };
    case 'maximum':
      return { path, message: `must be at most ${String(p.limit)}` };
    case 'minLength':
      return { path, message: p.limit === 1 ? 'must not be empty' : `must have at least ${String(p.limit)} characters` };
    case 'pattern':
      return { path, message: `must match ${String(p.pattern)}` };
    case 'minItems':
      return { path, message: `must have at least ${String(p.limit)} item(s)` };
    case 'required':
      return { path, message: `must have "${String(p.missingProperty)}"` };
    case 'additionalProperties': {
      const known = Object.keys((e.parentSchema as JsonSchema | undefined)?.properties ?? {});
      return {
        path: joinKey(path, String(p.additionalProperty)),
        message: `is not allowed here${known.length ? ` (allowed: ${known.join(', ')})` : ''}`,
      };
    }
    default:
      return { path, message: e.message ?? `fails ${e.keyword}` };
  }
}
