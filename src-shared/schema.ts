/** Tiny pure payload schemas: each validates untrusted data and names the field that is wrong. */

/** A validator: returns null when the value fits, else a message naming the path and the reason. */
export interface Schema<T> {
  readonly check: (value: unknown, path: string) => string | null
  /** Phantom type carrier; never read at runtime. */
  readonly _type?: T
}

/** The TypeScript type a schema accepts. */
export type Infer<S> = S extends Schema<infer T> ? T : never

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)

/** Any string of at most `max` characters (default 4096). */
export function str(options: { max?: number; min?: number; pattern?: RegExp } = {}): Schema<string> {
  const max = options.max ?? 4096
  return {
    check: (v, path) => {
      if (typeof v !== 'string') return `${path}: expected a string, got ${describe(v)}`
      if (v.length > max) return `${path}: longer than ${max} characters`
      if (options.min !== undefined && v.length < options.min) return `${path}: shorter than ${options.min} characters`
      if (options.pattern && !options.pattern.test(v)) return `${path}: does not match ${options.pattern.source}`
      return null
    },
  }
}

/** A finite number within [min, max]; `integer` refuses fractions. */
export function num(options: { min?: number; max?: number; integer?: boolean } = {}): Schema<number> {
  return {
    check: (v, path) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) return `${path}: expected a finite number, got ${describe(v)}`
      if (options.integer && !Number.isInteger(v)) return `${path}: expected an integer`
      if (options.min !== undefined && v < options.min) return `${path}: below ${options.min}`
      if (options.max !== undefined && v > options.max) return `${path}: above ${options.max}`
      return null
    },
  }
}

/** A boolean. */
export function bool(): Schema<boolean> {
  return { check: (v, path) => (typeof v === 'boolean' ? null : `${path}: expected a boolean, got ${describe(v)}`) }
}

/** One of the listed literal values. */
export function literal<const T extends readonly (string | number | boolean)[]>(...values: T): Schema<T[number]> {
  return {
    check: (v, path) => (values.includes(v as never) ? null : `${path}: expected one of ${values.map((x) => JSON.stringify(x)).join(', ')}`),
  }
}

/** An array of items, at most `max` long (default 256). */
export function arr<T>(item: Schema<T>, options: { max?: number } = {}): Schema<T[]> {
  const max = options.max ?? 256
  return {
    check: (v, path) => {
      if (!Array.isArray(v)) return `${path}: expected an array, got ${describe(v)}`
      if (v.length > max) return `${path}: more than ${max} items`
      for (let i = 0; i < v.length; i++) {
        const e = item.check(v[i], `${path}[${i}]`)
        if (e) return e
      }
      return null
    },
  }
}

type Shape = Record<string, Schema<unknown>>
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Schema<infer T> ? (undefined extends T ? K : never) : never }[keyof S]
type ObjType<S extends Shape> = { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }

/** A plain object with exactly these keys (unknown keys refused); optional() marks optional ones. */
export function obj<S extends Shape>(shape: S): Schema<{ [K in keyof ObjType<S>]: ObjType<S>[K] }> {
  return {
    check: (v, path) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${path}: expected an object, got ${describe(v)}`
      for (const key of Object.keys(v)) if (!Object.prototype.hasOwnProperty.call(shape, key)) return `${path}.${key}: unexpected field`
      for (const [key, schema] of Object.entries(shape)) {
        const e = schema.check((v as Record<string, unknown>)[key], `${path}.${key}`)
        if (e) return e
      }
      return null
    },
  }
}

/** Allows undefined besides what `inner` accepts. */
export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return { check: (v, path) => (v === undefined ? null : inner.check(v, path)) }
}

/** The first alternative that fits; the message lists the last failure. */
export function union<A, B>(a: Schema<A>, b: Schema<B>): Schema<A | B> {
  return { check: (v, path) => (a.check(v, path) === null ? null : b.check(v, path)) }
}

/** A tagged union: the `key` field picks the variant, so errors name the right fields. */
export function variant<K extends string, M extends Record<string, Schema<object>>>(key: K, variants: M): Schema<{ [T in keyof M]: Infer<M[T]> }[keyof M]> {
  const tags = Object.keys(variants)
  return {
    check: (v, path) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${path}: expected an object, got ${describe(v)}`
      const tag = (v as Record<string, unknown>)[key]
      if (typeof tag !== 'string' || !Object.prototype.hasOwnProperty.call(variants, tag)) return `${path}.${key}: expected one of ${tags.map((t) => JSON.stringify(t)).join(', ')}`
      return variants[tag].check(v, path)
    },
  }
}

/** Accepts nothing but undefined (a call without payload). */
export function none(): Schema<undefined> {
  return { check: (v, path) => (v === undefined || v === null ? null : `${path}: expected no payload`) }
}

/** Any JSON-like value (used only for data the main side produced itself). */
export function any(): Schema<unknown> {
  return { check: () => null }
}

/** Validates `value` against `schema`; returns the typed value or throws a PayloadError naming the field. */
export function parse<T>(schema: Schema<T>, value: unknown, what = 'payload'): T {
  const e = schema.check(value, what)
  if (e) throw new PayloadError(e)
  return value as T
}

/** A payload that does not fit its channel's schema. */
export class PayloadError extends Error {
  readonly code = 'bad-payload'
  constructor(message: string) {
    super(message)
    this.name = 'PayloadError'
  }
}
