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

/** Why a value does not fit a payload schema: `payloadError.<reason>` in the catalogues. */
export type PayloadReason =
  | 'oneOf'
  | 'notString'
  | 'tooLong'
  | 'tooShort'
  | 'noMatch'
  | 'notNumber'
  | 'notInteger'
  | 'below'
  | 'above'
  | 'notBoolean'
  | 'notArray'
  | 'tooMany'
  | 'notObject'
  | 'unexpectedField'
  | 'noPayload'
  | 'invalid'

/** One reason a payload was refused: the field's path, the reason's code and its parameters. */
export interface PayloadProblem {
  path: string
  reason: PayloadReason
  params: Record<string, string | number>
}

const problem = (path: string, reason: PayloadReason, params: Record<string, string | number | undefined>): PayloadProblem => ({
  path,
  reason,
  params: Object.fromEntries(Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined)),
})
const got = (v: unknown): Record<string, string> => ({ got: describe(v), gotKey: `layoutError.type.${describe(v)}` })

const PAYLOAD_LINES: Record<PayloadReason, (p: Record<string, string | number>) => string> = {
  oneOf: (p) => `expected one of ${p.values}`,
  notString: (p) => `expected a string, got ${p.got}`,
  tooLong: (p) => `longer than ${p.max} characters`,
  tooShort: (p) => `shorter than ${p.min} characters`,
  noMatch: (p) => `does not match ${p.pattern}`,
  notNumber: (p) => `expected a finite number, got ${p.got}`,
  notInteger: () => 'expected an integer',
  below: (p) => `below ${p.min}`,
  above: (p) => `above ${p.max}`,
  notBoolean: (p) => `expected a boolean, got ${p.got}`,
  notArray: (p) => `expected an array, got ${p.got}`,
  tooMany: (p) => `more than ${p.max} items`,
  notObject: (p) => `expected an object, got ${p.got}`,
  unexpectedField: () => 'unexpected field',
  noPayload: () => 'expected no payload',
  invalid: () => 'invalid',
}

/** Pure: a payload problem as a `path: reason` line for developers' logs (people read `payloadError.*` through a catalogue). */
export function payloadProblemLine(p: PayloadProblem): string {
  return `${p.path}: ${PAYLOAD_LINES[p.reason](p.params)}`
}

/** Pure: the catalogue message of a refused payload: serviceError.badPayload with the problem as `detailKey` and its line as the fallback. */
export function payloadRefusal(p: PayloadProblem): KeyedProblem {
  return { key: 'serviceError.badPayload', params: { ...p.params, field: p.path, detailKey: `payloadError.${p.reason}`, detail: payloadProblemLine(p) } }
}

/** The first reason `value` breaks `schema`, read from the schema's own keywords, as a code with its parameters; null when none is found. */
export function explainProblem(schema: TSchema, value: unknown, path: string): PayloadProblem | null {
  const literals = literalValues(schema)
  if (literals) return literals.includes(value) ? null : problem(path, 'oneOf', { values: listOf(literals) })
  switch (schema[Kind]) {
    case 'String': {
      if (typeof value !== 'string') return problem(path, 'notString', got(value))
      if (schema.maxLength !== undefined && value.length > schema.maxLength) return problem(path, 'tooLong', { max: schema.maxLength })
      if (schema.minLength !== undefined && value.length < schema.minLength) return problem(path, 'tooShort', { min: schema.minLength })
      if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) return problem(path, 'noMatch', { pattern: schema.pattern })
      return null
    }
    case 'Number':
    case 'Integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return problem(path, 'notNumber', got(value))
      if (schema[Kind] === 'Integer' && !Number.isInteger(value)) return problem(path, 'notInteger', {})
      if (schema.minimum !== undefined && value < schema.minimum) return problem(path, 'below', { min: schema.minimum })
      if (schema.maximum !== undefined && value > schema.maximum) return problem(path, 'above', { max: schema.maximum })
      return null
    }
    case 'Boolean':
      return typeof value === 'boolean' ? null : problem(path, 'notBoolean', got(value))
    case 'Array': {
      if (!Array.isArray(value)) return problem(path, 'notArray', got(value))
      if (schema.maxItems !== undefined && value.length > schema.maxItems) return problem(path, 'tooMany', { max: schema.maxItems })
      for (let i = 0; i < value.length; i++) {
        const e = explainProblem(schema.items as TSchema, value[i], `${path}[${i}]`)
        if (e) return e
      }
      return null
    }
    case 'Object': {
      if (!isObject(value)) return problem(path, 'notObject', got(value))
      const properties = schema.properties as Record<string, TSchema>
      if (schema.additionalProperties === false) for (const key of Object.keys(value)) if (!has(properties, key)) return problem(`${path}.${key}`, 'unexpectedField', {})
      for (const [key, property] of Object.entries(properties)) {
        const given = value[key]
        if (given === undefined && property[OptionalKind] === 'Optional') continue
        const e = explainProblem(property, given, `${path}.${key}`)
        if (e) return e
      }
      return null
    }
    case 'Record': {
      if (!isObject(value)) return problem(path, 'notObject', got(value))
      const [valueSchema] = Object.values(schema.patternProperties as Record<string, TSchema>)
      for (const [key, item] of Object.entries(value)) {
        const e = explainProblem(valueSchema, item, `${path}.${key}`)
        if (e) return e
      }
      return null
    }
    case 'Union': {
      if (schema[NO_PAYLOAD]) return value === undefined || value === null ? null : problem(path, 'noPayload', {})
      const alternatives = schema.anyOf as TSchema[]
      const key = schema[DISCRIMINATOR] as string | undefined
      if (key !== undefined) {
        if (!isObject(value)) return problem(path, 'notObject', got(value))
        const tags = alternatives.map((a) => (a.properties as Record<string, TSchema>)[key].const as string)
        const chosen = alternatives[tags.indexOf(value[key] as string)]
        if (typeof value[key] !== 'string' || !chosen) return problem(`${path}.${key}`, 'oneOf', { values: listOf(tags) })
        return explainProblem(chosen, value, path)
      }
      let last: PayloadProblem | null = null
      for (const alternative of alternatives) {
        last = explainProblem(alternative, value, path)
        if (last === null) return null
      }
      return last
    }
    default:
      return null
  }
}

/** The first reason `value` breaks `schema` as a `path: reason` line; null when none is found. */
export function explain(schema: TSchema, value: unknown, path: string): string | null {
  const found = explainProblem(schema, value, path)
  return found && payloadProblemLine(found)
}

/** Checks `value` against any TypeBox schema without code generation; null when it fits, else a message naming the path and the reason. */
export function checkValue(type: TSchema, value: unknown, path: string): string | null {
  const found = checkProblem(type, value, path)
  return found && payloadProblemLine(found)
}

/** Checks `value` against any TypeBox schema; null when it fits, else the coded problem naming the path. */
export function checkProblem(type: TSchema, value: unknown, path: string): PayloadProblem | null {
  if (Value.Check(type, value)) return null
  return explainProblem(type, value, path) ?? problem(path, 'invalid', {})
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
  if (!e) return value as T
  const found = schema.keyed?.(value, what) ?? checkProblem(schema.type, value, what)
  throw new PayloadError(e, !found ? undefined : 'reason' in found ? payloadRefusal(found) : found)
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
