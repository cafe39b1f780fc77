import { isPlainObject } from './clone.ts';
import { invalidRequest, parameterMissing, parameterUnknown } from './stripe-error.ts';

/**
 * What an endpoint accepts. Form bodies and query strings arrive as strings nested by `qs`
 * (`items[0][price]` becomes `{ items: [{ price }] }`); a schema turns them into typed values and refuses
 * unknown parameters and malformed values with Stripe's messages.
 */
export type Field =
  | { readonly kind: 'string' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'integer' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'metadata' }
  | { readonly kind: 'list'; readonly item: Field }
  | { readonly kind: 'object'; readonly fields: Schema };

export interface Schema {
  readonly [name: string]: Field;
}

/** Metadata as sent: `''` for the whole hash unsets every key; a key sent as `''` is unset. */
export type MetadataParam = Readonly<Record<string, string>> | '';

type ValueOf<F> = F extends { kind: 'string' }
  ? string
  : F extends { kind: 'enum'; values: readonly (infer V)[] }
    ? V
    : F extends { kind: 'integer' }
      ? number
      : F extends { kind: 'boolean' }
        ? boolean
        : F extends { kind: 'metadata' }
          ? MetadataParam
          : F extends { kind: 'list'; item: infer I }
            ? ValueOf<I>[]
            : F extends { kind: 'object'; fields: infer S extends Schema }
              ? Params<S>
              : never;

export type Params<S extends Schema> = { -readonly [K in keyof S]?: ValueOf<S[K]> };

export const field = {
  string: { kind: 'string' },
  integer: { kind: 'integer' },
  boolean: { kind: 'boolean' },
  metadata: { kind: 'metadata' },
  enum: <const V extends readonly string[]>(...values: V) => ({ kind: 'enum', values }) as const,
  list: <const F extends Field>(item: F) => ({ kind: 'list', item }) as const,
  object: <const S extends Schema>(fields: S) => ({ kind: 'object', fields }) as const,
} as const;

/** `expand[]`, accepted by every endpoint. */
export const expandField = field.list(field.string);

/** `limit`, `starting_after`, `ending_before`: accepted by every list endpoint. */
export const pageFields = {
  limit: field.integer,
  starting_after: field.string,
  ending_before: field.string,
  expand: expandField,
} as const;

export function parseParams<const S extends Schema>(schema: S, raw: Readonly<Record<string, unknown>>): Params<S> {
  return parseObject(schema, raw, '') as Params<S>; // built field by field from the schema
}

/** The value of a parameter the endpoint cannot do without. */
export function required<T>(value: T | undefined, param: string): T {
  if (value === undefined || value === '') throw parameterMissing(param);
  return value;
}

function parseObject(schema: Schema, raw: Readonly<Record<string, unknown>>, path: string): Record<string, unknown> {
  const parsed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    const param = path === '' ? name : `${path}[${name}]`;
    const spec = schema[name];
    if (spec === undefined) throw parameterUnknown(param);
    parsed[name] = parseField(spec, value, param);
  }
  return parsed;
}

function parseField(spec: Field, value: unknown, param: string): unknown {
  switch (spec.kind) {
    case 'string':
      return expectString(value, param);
    case 'enum': {
      const text = expectString(value, param);
      if (!spec.values.includes(text)) throw invalidRequest(`Invalid ${param}: must be one of ${oneOf(spec.values)}`, { param });
      return text;
    }
    case 'integer': {
      const text = expectString(value, param);
      if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
        throw invalidRequest(`Invalid integer: ${text}`, { code: 'parameter_invalid_integer', param });
      }
      return Number(text);
    }
    case 'boolean': {
      const text = expectString(value, param);
      if (text !== 'true' && text !== 'false') throw invalidRequest(`Invalid boolean: ${text}`, { param });
      return text === 'true';
    }
    case 'metadata':
      return parseMetadata(value, param);
    case 'list':
      return listItems(value, param).map((item, index) => parseField(spec.item, item, `${param}[${index}]`));
    case 'object':
      if (!isPlainObject(value)) throw invalidRequest(`Invalid object`, { param });
      return parseObject(spec.fields, value, param);
  }
}

function expectString(value: unknown, param: string): string {
  if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${describe(value)}`, { param });
  return value;
}

/** `qs` turns indexes above its array limit into object keys; both spellings are a list. `''` is empty. */
function listItems(value: unknown, param: string): unknown[] {
  if (value === '') return [];
  if (Array.isArray(value)) return value;
  if (isPlainObject(value) && Object.keys(value).every((key) => /^\d+$/.test(key))) {
    return Object.entries(value)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, item]) => item);
  }
  throw invalidRequest(`Invalid array`, { param });
}

const METADATA_LIMITS = { keys: 50, keyLength: 40, valueLength: 500 } as const;

function parseMetadata(value: unknown, param: string): MetadataParam {
  if (value === '') return '';
  if (!isPlainObject(value)) throw invalidRequest('Invalid object', { param });
  const entries = Object.entries(value);
  if (entries.length > METADATA_LIMITS.keys) {
    throw invalidRequest(`You can have at most ${METADATA_LIMITS.keys} keys in metadata.`, { param });
  }
  const metadata: Record<string, string> = {};
  for (const [key, inner] of entries) {
    const text = expectString(inner, `${param}[${key}]`);
    if (key.length > METADATA_LIMITS.keyLength) {
      throw invalidRequest(`Metadata keys can have up to ${METADATA_LIMITS.keyLength} characters, but you passed in a key that is ${key.length} characters: "${key}"`, { param: `${param}[${key}]` });
    }
    if (text.length > METADATA_LIMITS.valueLength) {
      throw invalidRequest(`Metadata values can have up to ${METADATA_LIMITS.valueLength} characters, but you passed in a value that is ${text.length} characters.`, { param: `${param}[${key}]` });
    }
    metadata[key] = text;
  }
  return metadata;
}

/** "a, b, or c", the way Stripe lists allowed values. */
function oneOf(values: readonly string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')}, or ${values.at(-1) ?? ''}`;
}

function describe(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Applies a metadata update to the current metadata (Stripe merges, and `''` unsets). */
export function applyMetadata(current: Readonly<Record<string, string>>, update: MetadataParam | undefined): Record<string, string> {
  if (update === undefined) return { ...current };
  if (update === '') return {};
  const next: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === '') delete next[key];
    else next[key] = value;
  }
  return next;
}

/** An optional string parameter where `''` means "unset" (description, receipt_email…). */
export function nullableString(value: string | undefined, current: string | null): string | null {
  if (value === undefined) return current;
  return value === '' ? null : value;
}
