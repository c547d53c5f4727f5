/** Payload schemas built as TypeBox (JSON Schema) types, checked without code generation (CSP-safe), with messages naming the field that is wrong. */
import { Kind, OptionalKind, Type, type TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

/** A payload schema: its TypeBox/JSON Schema form, and a checker that returns null when the value fits, else a message naming the path and the reason. */
export interface Schema<T> {
  /** The TypeBox schema (plain JSON Schema with TypeBox's symbol tags): the one source of the rule. */
  readonly type: TSchema
  readonly check: (value: unknown, path: string) => string | null
  /** True when `check` adds rules `type` cannot say (checkedBy): it refuses everything `type` refuses, and more. */
  readonly refined?: boolean
  /** For a refined schema: what `check` refused, as a catalogue message a person reads (null when it fits). */
  readonly keyed?: (value: unknown, path: string) => KeyedProblem | null
  /** Phantom type carrier; never read at runtime. */
  readonly _type?: T
}

/** The TypeScript type a schema accepts. */
export type Infer<S> = S extends Schema<infer T> ? T : never

/** Option on a TypeBox union: the field whose value picks the alternative (a tagged union). */
const DISCRIMINATOR = 'x-discriminator'
/** Option on a TypeBox union of undefined and null: a call that takes no payload. */
const NO_PAYLOAD = 'x-no-payload'

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const has = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key)
const listOf = (values: readonly unknown[]): string => values.map((x) => JSON.stringify(x)).join(', ')

function literalValues(schema: TSchema): unknown[] | null {
  if (schema[Kind] === 'Literal') return [schema.const]
  if (schema[Kind] === 'Union' && (schema.anyOf as TSchema[]).every((s) => s[Kind] === 'Literal')) return (schema.anyOf as TSchema[]).map((s) => s.const)
  return null
}

/** The first reason `value` breaks `schema`, read from the schema's own keywords; null when none is found. */
export function explain(schema: TSchema, value: unknown, path: string): string | null {
  const literals = literalValues(schema)
  if (literals) return literals.includes(value) ? null : `${path}: expected one of ${listOf(literals)}`
  switch (schema[Kind]) {
    case 'String': {
      if (typeof value !== 'string') return `${path}: expected a string, got ${describe(value)}`
      if (schema.maxLength !== undefined && value.length > schema.maxLength) return `${path}: longer than ${schema.maxLength} characters`
      if (schema.minLength !== undefined && value.length < schema.minLength) return `${path}: shorter than ${schema.minLength} characters`
      if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) return `${path}: does not match ${schema.pattern}`
      return null
    }
    case 'Number':
    case 'Integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${path}: expected a finite number, got ${describe(value)}`
      if (schema[Kind] === 'Integer' && !Number.isInteger(value)) return `${path}: expected an integer`
      if (schema.minimum !== undefined && value < schema.minimum) return `${path}: below ${schema.minimum}`
      if (schema.maximum !== undefined && value > schema.maximum) return `${path}: above ${schema.maximum}`
      return null
    }
    case 'Boolean':
      return typeof value === 'boolean' ? null : `${path}: expected a boolean, got ${describe(value)}`
    case 'Array': {
      if (!Array.isArray(value)) return `${path}: expected an array, got ${describe(value)}`
      if (schema.maxItems !== undefined && value.length > schema.maxItems) return `${path}: more than ${schema.maxItems} items`
      for (let i = 0; i < value.length; i++) {
        const e = explain(schema.items as TSchema, value[i], `${path}[${i}]`)
        if (e) return e
      }
      return null
    }
    case 'Object': {
      if (!isObject(value)) return `${path}: expected an object, got ${describe(value)}`
      const properties = schema.properties as Record<string, TSchema>
      if (schema.additionalProperties === false) for (const key of Object.keys(value)) if (!has(properties, key)) return `${path}.${key}: unexpected field`
      for (const [key, property] of Object.entries(properties)) {
        const given = value[key]
        if (given === undefined && property[OptionalKind] === 'Optional') continue
        const e = explain(property, given, `${path}.${key}`)
        if (e) return e
      }
      return null
    }
    case 'Record': {
      if (!isObject(value)) return `${path}: expected an object, got ${describe(value)}`
      const [valueSchema] = Object.values(schema.patternProperties as Record<string, TSchema>)
      for (const [key, item] of Object.entries(value)) {
        const e = explain(valueSchema, item, `${path}.${key}`)
        if (e) return e
      }
      return null
    }
    case 'Union': {
      if (schema[NO_PAYLOAD]) return value === undefined || value === null ? null : `${path}: expected no payload`
      const alternatives = schema.anyOf as TSchema[]
      const key = schema[DISCRIMINATOR] as string | undefined
      if (key !== undefined) {
        if (!isObject(value)) return `${path}: expected an object, got ${describe(value)}`
        const tags = alternatives.map((a) => (a.properties as Record<string, TSchema>)[key].const as string)
        const chosen = alternatives[tags.indexOf(value[key] as string)]
        if (typeof value[key] !== 'string' || !chosen) return `${path}.${key}: expected one of ${listOf(tags)}`
        return explain(chosen, value, path)
      }
      let last: string | null = null
      for (const alternative of alternatives) {
        last = explain(alternative, value, path)
        if (last === null) return null
      }
      return last
    }
    default:
      return null
  }
}

/** Checks `value` against any TypeBox schema without code generation; null when it fits, else a message naming the path and the reason. */
export function checkValue(type: TSchema, value: unknown, path: string): string | null {
  if (Value.Check(type, value)) return null
  return explain(type, value, path) ?? `${path}: invalid`
}

function schema<T>(type: TSchema): Schema<T> {
  return { type, check: (value, path) => checkValue(type, value, path) }
}

/** Any string of at most `max` characters (default 4096). */
export function str(options: { max?: number; min?: number; pattern?: RegExp } = {}): Schema<string> {
  return schema(Type.String({ maxLength: options.max ?? 4096, ...(options.min !== undefined ? { minLength: options.min } : {}), ...(options.pattern ? { pattern: options.pattern.source } : {}) }))
}

/** A finite number within [min, max]; `integer` refuses fractions. */
export function num(options: { min?: number; max?: number; integer?: boolean } = {}): Schema<number> {
  const bounds = { ...(options.min !== undefined ? { minimum: options.min } : {}), ...(options.max !== undefined ? { maximum: options.max } : {}) }
  return schema(options.integer ? Type.Integer(bounds) : Type.Number(bounds))
}

/** A boolean. */
export function bool(): Schema<boolean> {
  return schema(Type.Boolean())
}

/** One of the listed literal values. */
export function literal<const T extends readonly (string | number | boolean)[]>(...values: T): Schema<T[number]> {
  return schema(values.length === 1 ? Type.Literal(values[0]) : Type.Union(values.map((v) => Type.Literal(v))))
}

/** An array of items, at most `max` long (default 256). */
export function arr<T>(item: Schema<T>, options: { max?: number } = {}): Schema<T[]> {
  return schema(Type.Array(item.type, { maxItems: options.max ?? 256 }))
}

type Shape = Record<string, Schema<unknown>>
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Schema<infer T> ? (undefined extends T ? K : never) : never }[keyof S]
type ObjType<S extends Shape> = { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }

/** A plain object with exactly these keys (unknown keys refused); optional() marks optional ones. */
export function obj<S extends Shape>(shape: S): Schema<{ [K in keyof ObjType<S>]: ObjType<S>[K] }> {
  const properties = Object.fromEntries(Object.entries(shape).map(([key, s]) => [key, s.type]))
  return schema(Type.Object(properties, { additionalProperties: false }))
}

/** Allows undefined besides what `inner` accepts (an optional field of obj()). */
export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  const type = Type.Optional(inner.type)
  return { type, check: (v, path) => (v === undefined ? null : inner.check(v, path)) }
}

/** The first alternative that fits; the message lists the last failure. */
export function union<A, B>(a: Schema<A>, b: Schema<B>): Schema<A | B> {
  return schema(Type.Union([a.type, b.type]))
}

/** A tagged union: the `key` field picks the variant, so errors name the right fields. */
export function variant<K extends string, M extends Record<string, Schema<object>>>(key: K, variants: M): Schema<{ [T in keyof M]: Infer<M[T]> }[keyof M]> {
  for (const [tag, v] of Object.entries(variants)) if ((v.type.properties as Record<string, TSchema> | undefined)?.[key]?.const !== tag) throw new Error(`variant '${tag}' must have ${key}: literal('${tag}')`)
  return schema(Type.Union(Object.values(variants).map((v) => v.type), { [DISCRIMINATOR]: key }))
}

/** Accepts nothing but undefined or null (a call without payload). */
export function none(): Schema<undefined> {
  return schema(Type.Union([Type.Undefined(), Type.Null()], { [NO_PAYLOAD]: true }))
}

/** A catalogue key and its parameters: how a refusal is said to a person. */
export interface KeyedProblem {
  key: string
  params: Record<string, string | number>
}

/** One problem a refined validator found: a line for logs and the message a person reads. */
export interface CheckedProblem {
  line: string
  message: KeyedProblem
}

/**
 * A value checked by a validator that owns its rules (the station layout's), so the IPC and the file share one source; `shape` gives
 * its TypeBox form for composition; `refusal` says the validator's problems as one catalogue message.
 */
export function checkedBy<T>(shape: Schema<T>, problems: (value: unknown, path: string) => CheckedProblem[], refusal: (found: CheckedProblem[]) => KeyedProblem): Schema<T> {
  return {
    type: shape.type,
    refined: true,
    check: (value, path) => {
      const structural = shape.check(value, path)
      if (structural) return structural
      const found = problems(value, path)
      return found.length ? found.map((p) => p.line).join('; ') : null
    },
    keyed: (value, path) => {
      if (shape.check(value, path)) return null
      const found = problems(value, path)
      return found.length ? refusal(found) : null
    },
  }
}

/** Any JSON-like value (used only for data the main side produced itself). */
export function any(): Schema<unknown> {
  return schema(Type.Unknown())
}

/** Validates `value` against `schema`; returns the typed value or throws a PayloadError naming the field. */
export function parse<T>(schema: Schema<T>, value: unknown, what = 'payload'): T {
  const e = schema.check(value, what)
  if (e) throw new PayloadError(e, schema.keyed?.(value, what) ?? { key: 'serviceError.badPayload', params: { detail: e } })
  return value as T
}

/** A payload that does not fit its channel's schema: `message` names the field for logs, `keyed` says it to a person. */
export class PayloadError extends Error {
  readonly code = 'bad-payload'
  constructor(
    message: string,
    readonly keyed: KeyedProblem = { key: 'serviceError.badPayload', params: { detail: message } },
  ) {
    super(message)
    this.name = 'PayloadError'
  }
}
