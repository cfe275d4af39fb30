/**
 * A validator for the part of JSON Schema (2020-12) that ktrail's own schemas use: type, enum,
 * const, properties, required, additionalProperties, items, minItems, minimum, maximum,
 * minLength, pattern, oneOf, anyOf and local $ref (#/$defs/...). Annotations ($schema, $id,
 * title, description, examples, default) are ignored. It is not a general validator: a keyword
 * it does not know is an error, so a schema cannot silently ask for more than is checked.
 *
 * Errors name the offending place as a path a person can find in a YAML file:
 * `require[1].min`, `accept[0]`.
 */

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

const KNOWN = new Set([
  '$schema', '$id', '$ref', '$defs', 'title', 'description', 'examples', 'default', 'type', 'enum', 'const', 'properties',
  'required', 'additionalProperties', 'items', 'minItems', 'minimum', 'maximum', 'minLength', 'pattern', 'oneOf', 'anyOf',
]);

function typeOf(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v as JsonType;
}

function typeMatches(v: unknown, t: JsonType): boolean {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const safe = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  return path ? `${path}.${safe}` : safe;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Validates `value`; returns every error found (empty when valid). */
export function validateSchema(schema: JsonSchema, value: unknown): SchemaError[] {
  const errors: SchemaError[] = [];
  check(schema, schema, value, '', errors);
  return errors.map((e) => ({ ...e, path: e.path || '(top level)' }));
}

function resolveRef(root: JsonSchema, ref: string): JsonSchema {
  const m = /^#\/\$defs\/([^/]+)$/.exec(ref);
  const target = m ? root.$defs?.[m[1]!] : undefined;
  if (!target) throw new Error(`schema: unsupported or unknown $ref ${ref}`);
  return target;
}

function check(root: JsonSchema, schema: JsonSchema, value: unknown, path: string, errors: SchemaError[]): void {
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`schema: keyword "${key}" is not supported`);
  if (schema.$ref) check(root, resolveRef(root, schema.$ref), value, path, errors);

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(value, t))) {
      errors.push({ path, message: `must be ${types.join(' or ')}, not ${typeOf(value)}` });
      return;
    }
  }
  if (schema.const !== undefined && !deepEqual(value, schema.const)) {
    errors.push({ path, message: `must be ${JSON.stringify(schema.const)}` });
  }
  if (schema.enum && !schema.enum.some((e) => deepEqual(e, value))) {
    errors.push({ path, message: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}` });
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push({ path, message: `must be at least ${schema.minimum}` });
    if (schema.maximum !== undefined && value > schema.maximum) errors.push({ path, message: `must be at most ${schema.maximum}` });
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && [...value].length < schema.minLength) {
      errors.push({ path, message: schema.minLength === 1 ? 'must not be empty' : `must have at least ${schema.minLength} characters` });
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      errors.push({ path, message: `must match ${schema.pattern}` });
    }
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push({ path, message: `must have at least ${schema.minItems} item(s)` });
    if (schema.items) value.forEach((item, i) => check(root, schema.items!, item, joinPath(path, i), errors));
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in obj)) errors.push({ path, message: `must have "${key}"` });
    }
    for (const [key, v] of Object.entries(obj)) {
      const sub = schema.properties?.[key];
      if (sub) check(root, sub, v, joinPath(path, key), errors);
      else if (schema.additionalProperties === false) {
        const known = Object.keys(schema.properties ?? {});
        errors.push({ path: joinPath(path, key), message: `is not allowed here${known.length ? ` (allowed: ${known.join(', ')})` : ''}` });
      } else if (typeof schema.additionalProperties === 'object') check(root, schema.additionalProperties, v, joinPath(path, key), errors);
    }
  }
  if (schema.anyOf) {
    const branches = schema.anyOf.map((s) => branchErrors(root, s, value, path));
    if (!branches.some((b) => b.length === 0)) errors.push(...closestBranch(branches, path, 'must match one of the allowed forms'));
  }
  if (schema.oneOf) {
    const branches = schema.oneOf.map((s) => branchErrors(root, s, value, path));
    const passing = branches.filter((b) => b.length === 0).length;
    if (passing === 0) errors.push(...closestBranch(branches, path, 'must match one of the allowed forms'));
    else if (passing > 1) errors.push({ path, message: 'matches more than one of the allowed forms (they exclude each other)' });
  }
}

function branchErrors(root: JsonSchema, schema: JsonSchema, value: unknown, path: string): SchemaError[] {
  const errs: SchemaError[] = [];
  check(root, schema, value, path, errs);
  return errs;
}

/**
 * When no branch fits, the errors of the branch that came closest (fewest errors) say the most:
 * "require[2]: must have \"kind\"" beats a bare "matches no form".
 */
function closestBranch(branches: SchemaError[][], path: string, fallback: string): SchemaError[] {
  const best = [...branches].sort((a, b) => a.length - b.length)[0];
  return best && best.length ? best : [{ path, message: fallback }];
}
